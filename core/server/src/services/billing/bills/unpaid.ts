import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';

export interface BillDue {
  billId: string;
  /** what the bill charges net of its adjustments and reversals (its late fees apart) */
  principalFen: number;
  /** its late fees net of reversals */
  lateFeesFen: number;
  /** of principal + late fees, what payments settled */
  paidFen: number;
  unpaidFen: number;
  /** the part of the principal still unpaid (payments settle late fees first) */
  unpaidPrincipalFen: number;
}

interface Row {
  billId: string;
  accountId: string;
  principal: string;
  late: string;
  balance: string;
}

/**
 * What is unpaid on each issued bill. Interim rule until h-ledger's allocation lands (the lead
 * points this function at allocations then): an account owes max(0, −balance); payments settle
 * the oldest bills first, so what is owed sits on the newest issued bills — each newest bill takes
 * up to its own due amount of the debt, then the next older one. Within a bill payments settle late
 * fees before the principal (billing_settings.allocation_order puts late_fee before usage).
 * Held and cancelled bills owe nothing. Bills not found are absent from the map.
 */
export async function unpaidOf(tx: Tx, billIds: readonly string[]): Promise<Map<string, BillDue>> {
  const out = new Map<string, BillDue>();
  if (billIds.length === 0) return out;
  const rows = (await tx.execute(sql`
    with accts as (select distinct account_id from bills where id = any(${uuidArray(billIds)}))
    select b.id::text as "billId", b.account_id::text as "accountId",
      coalesce(-sum(e.amount_fen) filter (where e.category <> 'late_fee'), 0)::text as principal,
      coalesce(-sum(e.amount_fen) filter (where e.category = 'late_fee'), 0)::text as late,
      coalesce((select ab.balance_fen from account_balances ab where ab.account_id = b.account_id), 0)::text
        as balance
    from bills b join accts using (account_id)
    left join ledger_entries e on e.bill_id = b.id
    where b.status = 'issued'
    group by b.id, b.account_id, b.period_from, b.issued_at
    order by b.account_id, b.period_from desc, b.issued_at desc nulls last, b.id desc`)) as unknown as Row[];
  let account = '';
  let left = 0;
  for (const r of rows) {
    if (r.accountId !== account) {
      account = r.accountId;
      left = Math.max(0, -Number(r.balance));
    }
    const principal = Number(r.principal);
    const late = Number(r.late);
    const due = Math.max(0, principal + late);
    const unpaid = Math.min(due, left);
    left -= unpaid;
    out.set(r.billId, {
      billId: r.billId,
      principalFen: principal,
      lateFeesFen: late,
      paidFen: due - unpaid,
      unpaidFen: unpaid,
      unpaidPrincipalFen: Math.max(0, Math.min(principal, unpaid)),
    });
  }
  const wanted = new Set(billIds);
  for (const k of out.keys()) if (!wanted.has(k)) out.delete(k);
  return out;
}

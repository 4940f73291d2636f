import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';

export interface BillDue {
  billId: string;
  /** what the bill charges net of its adjustments and reversals (its late fees apart) */
  principalFen: number;
  /** its late fees net of reversals */
  lateFeesFen: number;
  /** of principal + late fees, what is settled */
  paidFen: number;
  unpaidFen: number;
  /** the part of the principal still unpaid */
  unpaidPrincipalFen: number;
}

interface Row {
  billId: string;
  principal: string;
  late: string;
  open: string;
  openPrincipal: string;
}

/**
 * What is unpaid on each issued bill, from the ledger's allocation (decision 0024): the bill's
 * debit entries that are neither reversals nor reversed, less what credits are allocated to them.
 * So it follows the tenant's allocation order (late fees before usage by default), and a debit
 * posted since the last allocation counts as open until the next payment or adjustment allocates.
 * A credit adjustment is a credit like a payment and may settle an older bill first; the unpaid
 * amounts are capped at what the bill is due net of its adjustments, so the customer is never
 * reported to owe more on a bill than it charges. Held and cancelled bills owe nothing; bills not
 * found are absent from the map.
 */
export async function unpaidOf(tx: Tx, billIds: readonly string[]): Promise<Map<string, BillDue>> {
  const out = new Map<string, BillDue>();
  if (billIds.length === 0) return out;
  const rows = (await tx.execute(sql`
    with live as (
      select e.id, e.bill_id, e.category,
        -e.amount_fen - coalesce((select sum(a.amount_fen) from ledger_allocations a
          where a.debit_entry_id = e.id), 0) as open_fen
      from ledger_entries e
      where e.bill_id = any(${uuidArray(billIds)}) and e.amount_fen < 0 and e.kind <> 'reversal'
        and not exists (select 1 from ledger_entries r where r.reverses = e.id)
    )
    select b.id::text as "billId",
      coalesce((select -sum(e.amount_fen) from ledger_entries e
        where e.bill_id = b.id and e.category <> 'late_fee'), 0)::text as principal,
      coalesce((select -sum(e.amount_fen) from ledger_entries e
        where e.bill_id = b.id and e.category = 'late_fee'), 0)::text as late,
      coalesce((select sum(l.open_fen) from live l where l.bill_id = b.id), 0)::text as open,
      coalesce((select sum(l.open_fen) from live l where l.bill_id = b.id and l.category <> 'late_fee'), 0)::text
        as "openPrincipal"
    from bills b
    where b.id = any(${uuidArray(billIds)}) and b.status = 'issued'`)) as unknown as Row[];
  for (const r of rows) {
    const principal = Number(r.principal);
    const late = Number(r.late);
    const due = Math.max(0, principal + late);
    const unpaid = Math.min(due, Number(r.open));
    out.set(r.billId, {
      billId: r.billId,
      principalFen: principal,
      lateFeesFen: late,
      paidFen: due - unpaid,
      unpaidFen: unpaid,
      unpaidPrincipalFen: Math.max(0, Math.min(principal, Number(r.openPrincipal), unpaid)),
    });
  }
  return out;
}

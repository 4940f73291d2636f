import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';

/**
 * The ledger postings the bill review needs, written directly with their documented business keys
 * until services/billing/ledger (postEntries, reverseEntry) lands; the lead folds these into it.
 * Every insert meets the unique business key, so a retried call posts nothing twice.
 */

/** Reverses every entry of the bill not yet reversed (`rev:<entry id>`); answers how many were written. */
export async function reverseBillEntries(
  tx: Tx,
  billId: string,
  on: string,
  by: string | null,
  memo: string,
): Promise<number> {
  const rows = await tx.execute(sql`
    insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, reverses,
      bill_id, meter_id, occurred_on, created_by, memo)
    select app_tenant_id(), e.account_id, 'reversal', -e.amount_fen, e.category, 'rev:' || e.id, e.id,
      e.bill_id, e.meter_id, ${on}::date, ${by}, ${memo}
    from ledger_entries e
    where e.bill_id = ${billId} and e.kind <> 'reversal'
      and not exists (select 1 from ledger_entries r where r.reverses = e.id)
    order by e.id
    on conflict do nothing
    returning id`);
  return rows.length;
}

export interface LateFeePosting {
  billId: string;
  accountId: string;
  day: string;
  fen: number;
}

/** One late-fee entry per bill and day (`late:<bill id>:<yyyy-mm-dd>`); answers the entries written. */
export async function postLateFees(tx: Tx, fees: readonly LateFeePosting[]): Promise<number> {
  if (fees.length === 0) return 0;
  const rows = await tx.execute(sql`
    insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, bill_id,
      occurred_on)
    select app_tenant_id(), f.account_id, 'late_fee', -f.fen, 'late_fee', 'late:' || f.bill_id || ':' || f.day,
      f.bill_id, f.day
    from unnest(${`{${fees.map((f) => f.billId).join(',')}}`}::uuid[],
      ${`{${fees.map((f) => f.accountId).join(',')}}`}::uuid[],
      ${`{${fees.map((f) => f.day).join(',')}}`}::date[],
      ${`{${fees.map((f) => f.fen).join(',')}}`}::bigint[]) as f(bill_id, account_id, day, fen)
    order by f.account_id
    on conflict (tenant_id, business_key) do nothing
    returning id`);
  return rows.length;
}

export interface AdjustmentPosting {
  billId: string;
  accountId: string;
  /** what the customer owes more (positive) or less (negative), in fen */
  amountFen: number;
  on: string;
  by: string | null;
  reason: string;
}

/** An adjustment on a bill (`adj:<uuid>`): the ledger amount is the negated charge. Answers its id. */
export async function postAdjustment(tx: Tx, a: AdjustmentPosting): Promise<string> {
  const [row] = await tx.execute<{ id: string }>(sql`
    insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, bill_id,
      occurred_on, created_by, memo, meta)
    values (app_tenant_id(), ${a.accountId}, 'adjustment', ${-a.amountFen}, 'adjustment',
      ${`adj:${crypto.randomUUID()}`}, ${a.billId}, ${a.on}::date, ${a.by}, ${a.reason},
      ${JSON.stringify({ reason: a.reason })}::jsonb)
    returning id::text as id`);
  return row.id;
}

import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';

/**
 * Issues bills: marks held or freshly written bills issued and posts their charges to the ledger,
 * one entry per bill and line category (business key `bill:<bill id>:<category>`), dated the end of
 * the bill's period. Set-based and idempotent: a bill whose entries were posted before keeps them
 * (the business key), so a retried or resumed run never charges twice. A category whose lines sum
 * to a credit (a free allowance larger than the charge) posts as a positive adjustment. Cancelled
 * bills are left alone. Returns the number of entries written now.
 */
export async function issueBills(tx: Tx, billIds: readonly string[], by: string | null): Promise<number> {
  if (billIds.length === 0) return 0;
  const rows = await tx.execute(sql`
    with issued as (
      update bills set status = 'issued', issued_at = coalesce(issued_at, now())
      where id = any(${`{${billIds.join(',')}}`}::uuid[]) and status in ('held', 'issued')
      returning id, account_id, period_to
    ), owed as (
      select i.id, i.account_id, i.period_to, l.category, sum(l.amount_fen)::bigint as fen
      from issued i join bill_lines l on l.bill_id = i.id
      group by i.id, i.account_id, i.period_to, l.category
      having sum(l.amount_fen) <> 0
    )
    insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, bill_id,
      occurred_on, created_by)
    select app_tenant_id(), o.account_id, case when o.fen > 0 then 'charge' else 'adjustment' end, -o.fen,
      o.category, 'bill:' || o.id || ':' || o.category, o.id, o.period_to - 1, ${by}
    from owed o
    order by o.account_id
    on conflict (tenant_id, business_key) do nothing
    returning id`);
  return rows.length;
}

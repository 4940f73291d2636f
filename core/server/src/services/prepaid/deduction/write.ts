import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import type { Posting } from './price.ts';

const list = (xs: readonly (string | number)[]) => xs.join(',');

/**
 * Posts a batch of deductions in ONE statement: typed arrays unnested (one text parameter each),
 * inserted in account order (the balance trigger locks in that order), ON CONFLICT DO NOTHING on
 * the business key, so a resumed or concurrent execution posts nothing twice; the ledger's
 * statement triggers keep account_balances and prepaid_dirty right for the whole batch at once.
 * The run's progress is added in the same statement from what was actually inserted. False when
 * the run row is no longer running (the caller rolls back).
 */
export async function writePostings(
  tx: Tx,
  runId: string | null,
  day: string,
  by: string | null,
  postings: Posting[],
  counts: { meters: number; failed: number },
): Promise<{ posted: number; fen: number; running: boolean }> {
  const keys = postings.map((p) => p.key);
  const cats = postings.map((p) => p.category);
  const [r] = (await tx.execute(sql`
    with i as (
      insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, meter_id,
        occurred_on, created_by)
      select app_tenant_id(), x.a, case when x.f < 0 then 'charge' else 'adjustment' end, x.f, x.c, x.k, x.m,
        ${day}::date, ${by}::uuid
      from unnest(${uuidArray(postings.map((p) => p.accountId))}, ${uuidArray(postings.map((p) => p.meterId))},
        string_to_array(${list(postings.map((p) => p.amountFen))}, ',')::bigint[],
        string_to_array(${list(cats)}, ','), string_to_array(${list(keys)}, ',')) as x(a, m, f, c, k)
      where ${postings.length}::int > 0
      order by x.a
      on conflict (tenant_id, business_key) do nothing
      returning amount_fen
    ), s as (select count(*)::int as n, coalesce(-sum(amount_fen), 0)::bigint as fen from i),
    u as (
      update prepaid_deduction_runs r set progress = r.progress || jsonb_build_object(
          'meters', coalesce((r.progress->>'meters')::int, 0) + ${counts.meters}::int,
          'failed', coalesce((r.progress->>'failed')::int, 0) + ${counts.failed}::int,
          'postings', coalesce((r.progress->>'postings')::int, 0) + s.n,
          'fen', coalesce((r.progress->>'fen')::bigint, 0) + s.fen, 'at', now())
      from s where r.id = ${runId}::uuid and r.status = 'running'
      returning 1
    )
    select s.n, s.fen::text as fen, (select count(*)::int from u) as running from s`)) as unknown as {
    n: number;
    fen: string;
    running: number;
  }[];
  return { posted: r.n, fen: Number(r.fen), running: r.running === 1 };
}

import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { arrayOf } from '../../../db/sql-helpers.ts';
import type { BillRow, LineRow } from './price.ts';

export interface RunRow {
  id: string;
  from: string;
  to: string;
  dueDate: string;
  replaces: string | null;
}

/** What an issued bill posts: one entry per bill and line category with a non-zero sum. */
export interface ChargeRow {
  bill_id: string;
  account_id: string;
  category: string;
  fen: number;
}

/** The ledger postings of the issued bills, as issueBills would make them from their lines. */
export function chargesOf(bills: BillRow[], lines: LineRow[]): ChargeRow[] {
  const issued = new Map(bills.filter((b) => b.status === 'issued').map((b) => [b.id, b.account_id]));
  const sums = new Map<string, ChargeRow>();
  for (const l of lines) {
    const account = issued.get(l.bill_id);
    if (!account) continue;
    const key = `${l.bill_id}:${l.category}`;
    const c = sums.get(key) ?? { bill_id: l.bill_id, account_id: account, category: l.category, fen: 0 };
    c.fen += l.amount_fen;
    sums.set(key, c);
  }
  return [...sums.values()].filter((c) => c.fen !== 0);
}

const col = <T>(rows: T[], f: (r: T) => string | number | null | undefined) => arrayOf(rows.map(f));

/**
 * Writes a chunk's bills, their lines and the issued bills' ledger charges in one statement, each
 * table's rows sent as typed columns (one array parameter per column, unnested: no JSON document
 * to parse, no row-by-row round trips). The charges are issueBills' own, set-based: same business
 * key `bill:<id>:<category>`, kind, sign and date, so a held bill issued later and a resumed chunk
 * never post twice. A bill meets bills_once_uq when the account already holds a live bill for the
 * period (a resumed run, a concurrent one): it, its lines and its charges are skipped. Returns the
 * ids written.
 */
export async function writeBills(
  tx: Tx,
  run: RunRow,
  by: string | null,
  bills: BillRow[],
  lines: LineRow[],
): Promise<string[]> {
  if (bills.length === 0) return [];
  const charges = chargesOf(bills, lines);
  const rows = (await tx.execute(sql`
    with b as (
      insert into bills (tenant_id, id, run_id, account_id, area_id, period_from, period_to, status,
        hold_reasons, total_fen, due_date, replaces, issued_at)
      select app_tenant_id(), x.id, ${run.id}::uuid, x.account_id, x.area_id, ${run.from}::date, ${run.to}::date,
        x.status, coalesce(string_to_array(nullif(x.hold, ''), ','), '{}'), x.total_fen, ${run.dueDate}::date,
        ${run.replaces}::uuid, case when x.status = 'issued' then now() end
      from unnest(${col(bills, (r) => r.id)}::uuid[], ${col(bills, (r) => r.account_id)}::uuid[],
        ${col(bills, (r) => r.area_id)}::uuid[], ${col(bills, (r) => r.status)}::text[],
        ${col(bills, (r) => r.hold_reasons.join(','))}::text[], ${col(bills, (r) => r.total_fen)}::bigint[])
        as x(id, account_id, area_id, status, hold, total_fen)
      order by x.account_id
      on conflict (tenant_id, account_id, period_from) where status <> 'cancelled' do nothing
      returning id
    ), l as (
      insert into bill_lines (tenant_id, bill_id, line_no, meter_id, category, component, label, tier, band,
        quantity, unit, price, amount_fen, tariff_version_id, segment_from, segment_to, explain)
      select app_tenant_id(), y.bill_id, y.line_no, y.meter_id, y.category, y.component, y.label, y.tier, y.band,
        y.quantity, y.unit, y.price, y.amount_fen, y.tariff_version_id, y.segment_from, y.segment_to, y.explain
      from unnest(${col(lines, (r) => r.bill_id)}::uuid[], ${col(lines, (r) => r.line_no)}::smallint[],
        ${col(lines, (r) => r.meter_id)}::uuid[], ${col(lines, (r) => r.category)}::text[],
        ${col(lines, (r) => r.component)}::text[], ${col(lines, (r) => r.label)}::text[],
        ${col(lines, (r) => r.tier)}::smallint[], ${col(lines, (r) => r.band)}::text[],
        ${col(lines, (r) => r.quantity)}::numeric[], ${col(lines, (r) => r.unit)}::text[],
        ${col(lines, (r) => r.price)}::numeric[], ${col(lines, (r) => r.amount_fen)}::bigint[],
        ${col(lines, (r) => r.tariff_version_id)}::uuid[], ${col(lines, (r) => r.segment_from)}::date[],
        ${col(lines, (r) => r.segment_to)}::date[], ${col(lines, (r) => JSON.stringify(r.explain))}::jsonb[])
        as y(bill_id, line_no, meter_id, category, component, label, tier, band, quantity, unit, price,
          amount_fen, tariff_version_id, segment_from, segment_to, explain)
      join b on b.id = y.bill_id
      returning 1
    ), e as (
      insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, bill_id,
        occurred_on, created_by)
      select app_tenant_id(), z.account_id, case when z.fen > 0 then 'charge' else 'adjustment' end, -z.fen,
        z.category, 'bill:' || z.bill_id || ':' || z.category, z.bill_id, ${run.to}::date - 1, ${by}::uuid
      from unnest(${col(charges, (r) => r.bill_id)}::uuid[], ${col(charges, (r) => r.account_id)}::uuid[],
        ${col(charges, (r) => r.category)}::text[], ${col(charges, (r) => r.fen)}::bigint[])
        as z(bill_id, account_id, category, fen)
      join b on b.id = z.bill_id
      order by z.account_id
      on conflict (tenant_id, business_key) do nothing
      returning 1
    )
    select b.id::text as id from b`)) as unknown as { id: string }[];
  return rows.map((r) => r.id);
}

/** Records accounts the run could not bill; a resumed run overwrites the same rows. */
export async function writeFailures(
  tx: Tx,
  runId: string,
  failures: { accountId: string; reasons: string[] }[],
): Promise<void> {
  if (failures.length === 0) return;
  await tx.execute(sql`
    insert into bill_run_failures (tenant_id, run_id, account_id, reasons)
    select app_tenant_id(), ${runId}::uuid, f."accountId", f.reasons
    from jsonb_to_recordset(${JSON.stringify(failures)}::jsonb) as f("accountId" uuid, reasons text[])
    on conflict (tenant_id, run_id, account_id) do update set reasons = excluded.reasons, at = now()`);
}

/**
 * Adds a chunk's counts to the run's progress in the chunk's transaction, so the counters are
 * exactly the committed work. False when the run is no longer running (cancelled): the caller
 * rolls the chunk back.
 */
export async function addProgress(
  tx: Tx,
  runId: string,
  d: { billed: number; held: number; skipped: number },
): Promise<boolean> {
  const rows = await tx.execute(sql`
    update bill_runs set progress = progress
      || jsonb_build_object('billed', coalesce((progress->>'billed')::int, 0) + ${d.billed}::int,
                            'held', coalesce((progress->>'held')::int, 0) + ${d.held}::int,
                            'skipped', coalesce((progress->>'skipped')::int, 0) + ${d.skipped}::int,
                            'at', now())
    where id = ${runId} and status = 'running' returning 1`);
  return rows.length === 1;
}

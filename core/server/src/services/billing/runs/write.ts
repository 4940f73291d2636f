import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { BillRow, LineRow } from './price.ts';

export interface RunRow {
  id: string;
  from: string;
  to: string;
  dueDate: string;
  replaces: string | null;
}

/**
 * Writes a chunk's bills and their lines in one statement (jsonb recordsets, no row-by-row
 * round trips). A bill meets bills_once_uq when the account already holds a live bill for the
 * period (a resumed run, a concurrent one): it and its lines are skipped. Returns the ids written.
 */
export async function writeBills(tx: Tx, run: RunRow, bills: BillRow[], lines: LineRow[]): Promise<string[]> {
  if (bills.length === 0) return [];
  const rows = (await tx.execute(sql`
    with b as (
      insert into bills (tenant_id, id, run_id, account_id, area_id, period_from, period_to, status,
        hold_reasons, total_fen, due_date, replaces)
      select app_tenant_id(), x.id, ${run.id}::uuid, x.account_id, x.area_id, ${run.from}::date, ${run.to}::date,
        x.status, x.hold_reasons, x.total_fen, ${run.dueDate}::date, ${run.replaces}::uuid
      from jsonb_to_recordset(${JSON.stringify(bills)}::jsonb)
        as x(id uuid, account_id uuid, area_id uuid, status text, hold_reasons text[], total_fen bigint)
      order by x.account_id
      on conflict (tenant_id, account_id, period_from) where status <> 'cancelled' do nothing
      returning id
    ), l as (
      insert into bill_lines (tenant_id, bill_id, line_no, meter_id, category, component, label, tier, band,
        quantity, unit, price, amount_fen, tariff_version_id, segment_from, segment_to, explain)
      select app_tenant_id(), y.bill_id, y.line_no, y.meter_id, y.category, y.component, y.label, y.tier, y.band,
        y.quantity, y.unit, y.price, y.amount_fen, y.tariff_version_id, y.segment_from, y.segment_to, y.explain
      from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
        as y(bill_id uuid, line_no smallint, meter_id uuid, category text, component text, label text,
          tier smallint, band text, quantity numeric, unit text, price numeric, amount_fen bigint,
          tariff_version_id uuid, segment_from date, segment_to date, explain jsonb)
      join b on b.id = y.bill_id
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

import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';

export interface RunScope {
  runId: string;
  /** this execution of the run: the key of its staged usage (bill_run_usage) */
  attemptId: string;
  areaId: string | null;
  from: string;
  /** exclusive */
  to: string;
  accountIds: string[] | null;
}

/** A reading bounding a meter's usage: the last one at or before a period edge. */
export interface BoundReading {
  ts: string;
  value: string | null;
  kind: number;
}

/** One meter of an account with its usage in the period (null: no consumption rows at all). */
export interface MeterUsage {
  accountId: string;
  areaId: string;
  tariffPlans: Record<string, string>;
  lowIncome: boolean;
  householdSize: string | null;
  heatedArea: string | null;
  meterId: string | null;
  meterKind: string | null;
  usage: string | null;
  start: BoundReading | null;
  end: BoundReading | null;
  /** usage since the yearly cycle began, before the period (set for yearly-tier plans only) */
  yearToDate?: string;
}

/** The run's accounts without a live bill for the period (see pendingAccounts). */
const pending = (s: RunScope) => sql`
    select a.id from accounts a
    join customers c on c.id = a.customer_id
    ${s.areaId ? sql`join areas ar on ar.id = c.area_id and ar.path @> ${uuidArray([s.areaId])}` : sql``}
    join lateral (select m.mode from account_billing_modes m where m.account_id = a.id
           and m.effective_from <= ${s.from}::date order by m.effective_from desc limit 1) bm on bm.mode = 'postpaid'
    where ${s.accountIds ? sql`a.id = any(${uuidArray(s.accountIds)})` : sql`true`}
      and not exists (select 1 from bills b where b.account_id = a.id and b.period_from = ${s.from}::date
           and b.status <> 'cancelled')`;

/**
 * Every account the run still has to bill, in id order, in one set-based statement: postpaid on the
 * period's first day, in the area's subtree, not yet holding a live bill for the period (so a
 * restarted run resumes with what the committed chunks left), limited to options.accountIds for a
 * re-bill.
 */
export async function pendingAccounts(tx: Tx, s: RunScope): Promise<string[]> {
  const rows = (await tx.execute(sql`${pending(s)} order by a.id`)) as unknown as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * A transaction's settings for one pass over many rows: memory for hash aggregates, so that the
 * planner prefers scanning and hashing to walking an index in group order.
 */
export const SCAN_SETTINGS = sql.raw(`set local work_mem = '256MB'`);

/**
 * Stages the period's usage of every meter of the accounts still to bill (bill_run_usage, under this
 * execution's attempt id). A meter with no daily rows in the period has no row (usage missing).
 * For many accounts (`scan`), one pass over the period's daily rows with a hash aggregate in memory:
 * without the memory the planner walks the primary key in meter order to group without hashing,
 * believing the walk follows the table because the key's first column, the tenant, is constant —
 * while daily rows lie day by day, so that walk reads a page per row. For a few accounts (a re-bill,
 * a small area), the planner probes the index per meter.
 */
export async function stageUsage(tx: Tx, s: RunScope, scan: boolean): Promise<void> {
  if (scan) await tx.execute(SCAN_SETTINGS);
  await tx.execute(sql`
    insert into bill_run_usage (tenant_id, attempt_id, run_id, meter_id, usage)
    select app_tenant_id(), ${s.attemptId}::uuid, ${s.runId}::uuid, d.meter_id, round(sum(d.usage), 6)
    from consumption_daily d
    join meters m on m.id = d.meter_id
    join (${pending(s)}) p on p.id = m.account_id
    where d.day >= ${s.from}::date and d.day < ${s.to}::date
    group by d.meter_id`);
}

/** Drops what every execution of the run staged (the run ended). */
export async function dropUsage(tx: Tx, runId: string): Promise<void> {
  await tx.execute(sql`delete from bill_run_usage where run_id = ${runId}::uuid`);
}

/** How many accounts the run covers (for progress), counted once when it starts. */
export async function countAccounts(tx: Tx, s: RunScope): Promise<number> {
  const [r] = (await tx.execute(sql`
    select count(*)::int as n from accounts a
    join customers c on c.id = a.customer_id
    ${s.areaId ? sql`join areas ar on ar.id = c.area_id and ar.path @> ${uuidArray([s.areaId])}` : sql``}
    where ${s.accountIds ? sql`a.id = any(${uuidArray(s.accountIds)})` : sql`true`}
      and (select m.mode from account_billing_modes m where m.account_id = a.id
           and m.effective_from <= ${s.from}::date order by m.effective_from desc limit 1) = 'postpaid'`)) as unknown as {
    n: number;
  }[];
  return r.n;
}

const fact = (kind: string, from: string) => sql`(select f.value::text from customer_facts f
  where f.customer_id = c.id and f.kind = ${kind} and f.effective_from <= ${from}::date
  order by f.effective_from desc limit 1)`;

/** The last reading with a value before an edge, per meter: one DISTINCT ON statement. */
async function bounds(tx: Tx, meters: string[], edge: string): Promise<Map<string, BoundReading>> {
  const rows = (await tx.execute(sql`
    select distinct on (r.meter_id) r.meter_id::text as meter, r.ts, r.value::text as value, r.kind::int as kind
    from readings r where r.meter_id = any(${uuidArray(meters)})
      and r.ts < ${edge}::date and r.ts >= ${edge}::date - 62 and r.value is not null
    order by r.meter_id, r.ts desc, r.kind`)) as unknown as {
    meter: string;
    ts: string;
    value: string;
    kind: number;
  }[];
  return new Map(
    rows.map((r) => [r.meter, { ts: new Date(r.ts).toISOString(), value: r.value, kind: r.kind }]),
  );
}

/** Everything a chunk prices, set-based: accounts × meters × staged usage × facts, then the bounding readings. */
export async function readChunk(tx: Tx, s: RunScope, ids: string[]): Promise<MeterUsage[]> {
  const rows = (await tx.execute(sql`
    select a.id::text as "accountId", c.area_id::text as "areaId", a.tariff_plans as "tariffPlans",
      c.low_income as "lowIncome", ${fact('household_size', s.from)} as "householdSize",
      ${fact('heated_area_m2', s.from)} as "heatedArea", m.id::text as "meterId", m.kind as "meterKind",
      u.usage::text as usage, null as start, null as "end"
    from accounts a join customers c on c.id = a.customer_id
    left join meters m on m.account_id = a.id
    left join bill_run_usage u on u.attempt_id = ${s.attemptId}::uuid and u.meter_id = m.id
    where a.id = any(${uuidArray(ids)})
    order by a.id, m.id`)) as unknown as MeterUsage[];
  const meters = rows.flatMap((r) => (r.meterId ? [r.meterId] : []));
  if (meters.length === 0) return rows;
  const start = await bounds(tx, meters, s.from);
  const end = await bounds(tx, meters, s.to);
  for (const r of rows) {
    r.start = (r.meterId && start.get(r.meterId)) || null;
    r.end = (r.meterId && end.get(r.meterId)) || null;
  }
  return rows;
}

/** The day a yearly cycle starting on MM-DD last began, on or before `from`. */
export function cycleBegan(from: string, mmdd: string): string {
  const y = Number(from.slice(0, 4));
  const same = `${y}-${mmdd}`;
  return same <= from ? same : `${y - 1}-${mmdd}`;
}

/** Usage per meter from `since` up to the period's start (yearToDate of yearly tiers). */
export async function usageBefore(
  tx: Tx,
  meters: string[],
  since: string,
  from: string,
): Promise<Map<string, string>> {
  const rows = (await tx.execute(sql`select d.meter_id::text as meter, round(sum(d.usage), 6)::text as usage
    from consumption_daily d where d.meter_id = any(${uuidArray(meters)})
      and d.day >= ${since}::date and d.day < ${from}::date group by d.meter_id`)) as unknown as {
    meter: string;
    usage: string;
  }[];
  return new Map(rows.map((r) => [r.meter, r.usage]));
}

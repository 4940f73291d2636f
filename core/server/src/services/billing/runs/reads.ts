import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';

export interface RunScope {
  runId: string;
  /** this execution of the run: the key of what it staged (bill_run_input, bill_run_usage) */
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

/**
 * The run's accounts without a live bill for the period (see stageAccounts). The billing mode on the
 * period's first day is one index probe per account (`scan` false: a re-bill, a small area) or, for
 * many accounts, one pass over the modes sorted by account (a probe per account costs more than
 * the whole sort from about 20,000 accounts).
 */
const pending = (s: RunScope, scan = false) => sql`
    select a.id, a.customer_id, a.tariff_plans, c.area_id, c.low_income from accounts a
    join customers c on c.id = a.customer_id
    ${s.areaId ? sql`join areas ar on ar.id = c.area_id and ar.path @> ${uuidArray([s.areaId])}` : sql``}
    ${
      scan
        ? sql`join (select distinct on (m.account_id) m.account_id, m.mode from account_billing_modes m
           where m.effective_from <= ${s.from}::date order by m.account_id, m.effective_from desc) bm
           on bm.account_id = a.id and bm.mode = 'postpaid'`
        : sql`join lateral (select m.mode from account_billing_modes m where m.account_id = a.id
           and m.effective_from <= ${s.from}::date order by m.effective_from desc limit 1) bm on bm.mode = 'postpaid'`
    }
    where ${s.accountIds ? sql`a.id = any(${uuidArray(s.accountIds)})` : sql`true`}
      and not exists (select 1 from bills b where b.account_id = a.id and b.period_from = ${s.from}::date
           and b.status <> 'cancelled')`;

/**
 * A transaction's settings for one pass over many rows: memory for hash aggregates, so that the
 * planner prefers scanning and hashing to walking an index in group order.
 */
export const SCAN_SETTINGS = sql.raw(`set local work_mem = '256MB'`);

/** A transaction's settings for staging from whole tables (stageUsage, stageAccounts with `scan`). */
async function scanSettings(tx: Tx): Promise<void> {
  await tx.execute(SCAN_SETTINGS);
  // every input row is wanted: hash joins over whole tables, never a probe per account (the
  // planner, guessing 1,000 postpaid accounts from the modes' DISTINCT ON, would loop over indexes)
  await tx.execute(sql`set local enable_nestloop = off`);
}

/**
 * Stages the period's usage of the run's meters under this execution's attempt id (bill_run_usage),
 * one row per meter of an account (usage null: no daily rows in the period), in account order like
 * bill_run_input, so a chunk reads its meters' usage from one range of the index and a few
 * neighbouring pages (stagedUsage). `scan` (many accounts): one pass over the period's daily rows,
 * summed per meter on their own with a hash aggregate in memory — without the memory the planner
 * walks the primary key in meter order to group without hashing, believing the walk follows the
 * table because the key's first column, the tenant, is constant, while daily rows lie day by day,
 * so that walk reads a page per row — then joined to the meters of the run's scope (their area, or
 * the named accounts). It does not depend on the accounts side, so a large run stages it on its own
 * connection while stageAccounts runs on another (stageRun). Otherwise (a re-bill, a small area) it
 * runs after stageAccounts, in its transaction, and sums the daily rows of the meters staged there:
 * index probes per meter.
 */
export async function stageUsage(tx: Tx, s: RunScope, scan: boolean): Promise<void> {
  if (scan) await scanSettings(tx);
  const period = sql`d.day >= ${s.from}::date and d.day < ${s.to}::date`;
  const meters = scan
    ? sql`select m.account_id, m.id as meter_id, u.usage from meters m
      left join (select d.meter_id, round(sum(d.usage), 6) as usage from consumption_daily d
        where ${period} group by d.meter_id) u on u.meter_id = m.id
      ${s.areaId ? sql`join areas ar on ar.id = m.area_id and ar.path @> ${uuidArray([s.areaId])}` : sql``}
      where ${s.accountIds ? sql`m.account_id = any(${uuidArray(s.accountIds)})` : sql`m.account_id is not null`}`
    : sql`select i.account_id, i.meter_id, (select round(sum(d.usage), 6) from consumption_daily d
        where d.meter_id = i.meter_id and ${period}) as usage
      from bill_run_input i where i.attempt_id = ${s.attemptId}::uuid and i.meter_id is not null`;
  await tx.execute(sql`
    insert into bill_run_usage (tenant_id, attempt_id, run_id, account_id, meter_id, usage)
    select app_tenant_id(), ${s.attemptId}::uuid, ${s.runId}::uuid, u.account_id, u.meter_id, u.usage
    from (${meters}) u order by u.account_id, u.meter_id`);
}

/**
 * Stages the accounts side of what the run's chunks price, for every account still to bill
 * (postpaid on the period's first day, in the area's subtree, without a live bill for the period,
 * limited to options.accountIds for a re-bill), under this execution's attempt id (bill_run_input):
 * the account's area, plans and facts and each of its meters (no meter: one row without one). One
 * statement, written in account order. `scan` (many accounts): hash joins over whole tables and the
 * facts in force on the period's first day in one sorted pass each; otherwise a probe per account.
 */
export async function stageAccounts(tx: Tx, s: RunScope, scan: boolean): Promise<void> {
  if (scan) await scanSettings(tx);
  await tx.execute(sql`
    with p as (${pending(s, scan)}),
    m as (
      select p.*, m.id as meter_id, m.kind from p left join meters m on m.account_id = p.id
    )
    insert into bill_run_input (tenant_id, attempt_id, run_id, account_id, area_id, tariff_plans, low_income,
      household_size, heated_area, meter_id, meter_kind)
    select app_tenant_id(), ${s.attemptId}::uuid, ${s.runId}::uuid, m.id, m.area_id, m.tariff_plans, m.low_income,
      ${scan ? sql`hs.value` : fact('household_size', s.from)}, ${scan ? sql`ha.value` : fact('heated_area_m2', s.from)},
      m.meter_id, m.kind
    from m
    ${
      scan
        ? sql`left join (${facts('household_size', s.from)}) hs on hs.customer_id = m.customer_id
    left join (${facts('heated_area_m2', s.from)}) ha on ha.customer_id = m.customer_id`
        : sql``
    }
    order by m.id, m.meter_id`);
}

/** The accounts this execution staged, in id order: the run's work, cut into chunks. */
export async function stagedAccounts(tx: Tx, s: RunScope): Promise<string[]> {
  // in uuid order (not the text's collation): a chunk is then one range of account ids (stagedUsage)
  const rows = (await tx.execute(sql`select x.account_id::text as id from (select distinct account_id
    from bill_run_input where attempt_id = ${s.attemptId}::uuid) x order by x.account_id`)) as unknown as {
    id: string;
  }[];
  return rows.map((r) => r.id);
}

/** Drops what every execution of the run staged (the run ended). */
export async function dropInput(tx: Tx, runId: string): Promise<void> {
  await tx.execute(sql`delete from bill_run_input where run_id = ${runId}::uuid`);
  await tx.execute(sql`delete from bill_run_usage where run_id = ${runId}::uuid`);
}

/**
 * How many accounts lie in the run's scope (area or named accounts), whatever their billing mode:
 * enough to choose how to stage (one pass over whole tables from SCAN_FROM), without a probe per
 * account. The run's progress total is what it staged (stagedAccounts).
 */
export async function countInScope(tx: Tx, s: RunScope): Promise<number> {
  if (s.accountIds) return s.accountIds.length;
  const [r] = (await tx.execute(sql`
    select count(*)::int as n from accounts a
    ${s.areaId ? sql`join customers c on c.id = a.customer_id join areas ar on ar.id = c.area_id and ar.path @> ${uuidArray([s.areaId])}` : sql``}`)) as unknown as {
    n: number;
  }[];
  return r.n;
}

const fact = (kind: string, from: string) => sql`(select f.value::text from customer_facts f
  where f.customer_id = m.customer_id and f.kind = ${kind} and f.effective_from <= ${from}::date
  order by f.effective_from desc limit 1)`;

/** Each customer's fact of a kind in force on `from`, in one sorted pass (stageAccounts, scan). */
const facts = (kind: string, from: string) => sql`select distinct on (f.customer_id) f.customer_id,
  f.value::text as value from customer_facts f where f.kind = ${kind} and f.effective_from <= ${from}::date
  order by f.customer_id, f.effective_from desc`;

/**
 * The usage stageUsage staged for a chunk's meters: one index range, the chunk's accounts being
 * consecutive in account order. A meter the range lacks — it changed account or area while a large
 * run staged its two sides, each in its own snapshot — is summed from its daily rows instead.
 */
async function stagedUsage(tx: Tx, s: RunScope, ids: string[], meters: string[]) {
  const rows = (await tx.execute(sql`select u.meter_id::text as meter, u.usage::text as usage
    from bill_run_usage u where u.attempt_id = ${s.attemptId}::uuid
      and u.account_id >= ${ids[0]}::uuid and u.account_id <= ${ids[ids.length - 1]}::uuid`)) as unknown as {
    meter: string;
    usage: string | null;
  }[];
  const usage = new Map(rows.map((r) => [r.meter, r.usage]));
  const missing = meters.filter((m) => !usage.has(m));
  if (missing.length > 0) for (const [m, u] of await usageBefore(tx, missing, s.from, s.to)) usage.set(m, u);
  return usage;
}

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

/**
 * Everything a chunk prices, from what the run staged, then the readings bounding each meter's
 * period. `ids`: consecutive staged accounts in uuid order (stagedAccounts), read as one range.
 */
export async function readChunk(tx: Tx, s: RunScope, ids: string[]): Promise<MeterUsage[]> {
  const rows = (await tx.execute(sql`
    select i.account_id::text as "accountId", i.area_id::text as "areaId", i.tariff_plans as "tariffPlans",
      i.low_income as "lowIncome", i.household_size as "householdSize", i.heated_area as "heatedArea",
      i.meter_id::text as "meterId", i.meter_kind as "meterKind", null as usage, null as start,
      null as "end"
    from bill_run_input i
    where i.attempt_id = ${s.attemptId}::uuid and i.account_id >= ${ids[0]}::uuid
      and i.account_id <= ${ids[ids.length - 1]}::uuid
    order by i.account_id, i.meter_id`)) as unknown as MeterUsage[];
  const meters = rows.flatMap((r) => (r.meterId ? [r.meterId] : []));
  if (meters.length === 0) return rows;
  const usage = await stagedUsage(tx, s, ids, meters);
  const start = await bounds(tx, meters, s.from);
  const end = await bounds(tx, meters, s.to);
  for (const r of rows) {
    r.usage = (r.meterId && usage.get(r.meterId)) ?? null;
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

/** Usage per meter from `since` up to `from` (exclusive): yearToDate of yearly tiers, and a chunk's meter the usage side lacks (stagedUsage). */
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

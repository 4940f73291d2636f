import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';

export interface RunScope {
  runId: string;
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
 * The next page of accounts to bill (keyset on id): postpaid on the period's first day, in the
 * area's subtree, not yet holding a live bill for the period (so a restarted run resumes where the
 * committed chunks stopped), limited to options.accountIds for a re-bill.
 */
export async function nextAccounts(
  tx: Tx,
  s: RunScope,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const rows = (await tx.execute(sql`
    select a.id::text as id from accounts a
    join customers c on c.id = a.customer_id
    ${s.areaId ? sql`join areas ar on ar.id = c.area_id and ar.path @> ${uuidArray([s.areaId])}` : sql``}
    where ${after ? sql`a.id > ${after}::uuid` : sql`true`}
      ${s.accountIds ? sql`and a.id = any(${uuidArray(s.accountIds)})` : sql``}
      and (select m.mode from account_billing_modes m where m.account_id = a.id
           and m.effective_from <= ${s.from}::date order by m.effective_from desc limit 1) = 'postpaid'
      and not exists (select 1 from bills b where b.account_id = a.id and b.period_from = ${s.from}::date
           and b.status <> 'cancelled')
    order by a.id limit ${limit}`)) as unknown as { id: string }[];
  return rows.map((r) => r.id);
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

/** Everything a chunk prices, set-based: accounts × meters × usage × facts, then the bounding readings. */
export async function readChunk(tx: Tx, s: RunScope, ids: string[]): Promise<MeterUsage[]> {
  const rows = (await tx.execute(sql`
    select a.id::text as "accountId", c.area_id::text as "areaId", a.tariff_plans as "tariffPlans",
      c.low_income as "lowIncome", ${fact('household_size', s.from)} as "householdSize",
      ${fact('heated_area_m2', s.from)} as "heatedArea", m.id::text as "meterId", m.kind as "meterKind",
      u.usage, null as start, null as "end"
    from accounts a join customers c on c.id = a.customer_id
    left join meters m on m.account_id = a.id
    left join lateral (select round(sum(d.usage), 6)::text as usage from consumption_daily d
      where d.meter_id = m.id and d.day >= ${s.from}::date and d.day < ${s.to}::date) u on true
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

import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import type { Actor } from '../../identity/actor.ts';
import { areaFilter, buckets, type Grain, growth, shift } from './period.ts';

export const CONSUMPTION_GROUPS = ['none', 'area', 'kind', 'customerType'] as const;
export type ConsumptionGroup = (typeof CONSUMPTION_GROUPS)[number];

export interface ConsumptionQuery {
  grain: Grain;
  from: string;
  to: string;
  groupBy: ConsumptionGroup;
  areaId?: string;
  kind?: string;
  customerType?: string;
}

export interface ConsumptionPoint {
  bucket: string;
  usage: number;
  /** the bucket before (day, month or year before) */
  previous: number | null;
  /** the same bucket a year earlier */
  lastYear: number | null;
  mom: number | null;
  yoy: number | null;
}

export interface ConsumptionSeries {
  key: string;
  label: string;
  meterKind: string;
  points: ConsumptionPoint[];
  total: number;
}

const trunc: Record<Grain, SQL> = {
  day: sql`s.day`,
  month: sql`date_trunc('month', s.day)::date`,
  year: sql`date_trunc('year', s.day)::date`,
};

const YEAR: Record<Grain, number> = { day: 0, month: 12, year: 1 };
const lastYearOf = (b: string, g: Grain) =>
  g === 'day' ? `${String(+b.slice(0, 4) - 1).padStart(4, '0')}${b.slice(4)}` : shift(b, g, -YEAR[g]);

/**
 * Consumption per bucket (day, month or year of the tenant's calendar) and group, from
 * stats_consumption_daily, with the bucket before and the same bucket a year earlier (MoM, YoY).
 * Every series is of one meter kind: usages of different kinds are never added up.
 */
export async function consumptionStats(tx: Tx, actor: Actor, q: ConsumptionQuery) {
  const list = buckets(q.from, q.to, q.grain);
  const { cond, depth } = await areaFilter(tx, actor, q.areaId);
  const first = list[0];
  const last = list[list.length - 1];
  const start = [
    shift(first, q.grain, -1),
    q.grain === 'day' ? shift(first, 'month', -12) : lastYearOf(first, q.grain),
  ].sort()[0];
  const end = shift(last, q.grain, 1);
  const key: Record<ConsumptionGroup, SQL> = {
    none: sql`''`,
    area: sql`coalesce(a.path[${depth + 1}], a.id)::text`,
    kind: sql`''`,
    customerType: sql`s.customer_type`,
  };
  const where: SQL[] = [cond, sql`s.day >= ${start}::date and s.day < ${end}::date`];
  if (q.kind) where.push(sql`s.meter_kind = ${q.kind}`);
  if (q.customerType !== undefined) where.push(sql`s.customer_type = ${q.customerType}`);
  const rows = (await tx.execute(sql`
    select ${trunc[q.grain]}::text as bucket, ${key[q.groupBy]} as key, s.meter_kind as kind,
      sum(s.usage)::float8 as usage
    from stats_consumption_daily s
    join areas a on a.tenant_id = s.tenant_id and a.id = s.area_id
    where ${sql.join(where, sql` and `)}
    group by 1, 2, 3`)) as unknown as { bucket: string; key: string; kind: string; usage: number }[];
  const by = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const k = `${r.key}|${r.kind}`;
    const m = by.get(k) ?? by.set(k, new Map()).get(k);
    m?.set(r.bucket, r.usage);
  }
  const names = await areaNames(tx, q.groupBy === 'area' ? [...new Set(rows.map((r) => r.key))] : []);
  const series: ConsumptionSeries[] = [];
  for (const [k, m] of [...by.entries()].sort()) {
    const [group, meterKind] = k.split('|');
    const points = list.map((b) => {
      const usage = round(m.get(b) ?? 0);
      const previous = m.get(shift(b, q.grain, -1)) ?? null;
      const lastYear = m.get(lastYearOf(b, q.grain)) ?? null;
      return {
        bucket: b,
        usage,
        previous,
        lastYear,
        mom: growth(usage, previous),
        yoy: growth(usage, lastYear),
      };
    });
    if (points.every((p) => p.usage === 0)) continue;
    const label =
      q.groupBy === 'area' ? (names.get(group) ?? group) : q.groupBy === 'kind' ? meterKind : group;
    series.push({
      key: q.groupBy === 'kind' || q.groupBy === 'none' ? meterKind : group,
      label,
      meterKind,
      points,
      total: round(points.reduce((s, p) => s + p.usage, 0)),
    });
  }
  return { grain: q.grain, groupBy: q.groupBy, from: first, to: last, series };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

async function areaNames(tx: Tx, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = (await tx.execute(
    sql`select id::text as id, name from areas where id = any(${uuidArray(ids)})`,
  )) as unknown as { id: string; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

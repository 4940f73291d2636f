import type { MeterTypePlugin, RegisterDef } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { format, mainUsage, units } from '../archives/consumption.ts';
import { pgArray } from './pg-array.ts';
import type { Zone } from './zone.ts';

/** A point of a meter's main-register series: a stored reading with a value. */
export interface Point {
  ts: number;
  kind: number;
  value: string;
}

/** What rollups need to know of one meter's type. */
export interface MeterCalc {
  meterId: string;
  plugin: MeterTypePlugin;
  reg: RegisterDef;
  digits: number;
  settings: unknown;
  /** the installation reading: the start of the series before the first point */
  initialReading: string;
}

interface Bucket {
  units: bigint;
  count: number;
  rolled: boolean;
}

/** Per (meter, day) and (meter, month) sums of interval usage, in units of the main register. */
export class Buckets {
  readonly days = new Map<string, Bucket & { meterId: string; day: string; decimals: number }>();
  readonly months = new Map<string, Bucket & { meterId: string; month: string; decimals: number }>();

  private readonly z: Zone;
  constructor(z: Zone) {
    this.z = z;
  }

  /** Adds the interval ending at `to` (its day: that of the instant just before `to`). */
  add(m: MeterCalc, from: string, to: Point) {
    let u: { units: bigint; rolledOver: boolean };
    try {
      u = mainUsage(
        m.plugin,
        m.reg,
        m.digits,
        m.settings,
        units(from, m.reg.decimals),
        units(to.value, m.reg.decimals),
      );
    } catch {
      // a counter that went back across a later-arriving reading: no usage for the interval
      u = { units: 0n, rolledOver: false };
    }
    const day = this.z.dayOf(to.ts - 1);
    const month = `${day.slice(0, 7)}-01`;
    const put = <T extends Bucket>(map: Map<string, T>, key: string, init: () => T) => {
      const b = map.get(key) ?? map.set(key, init()).get(key);
      if (!b) return;
      b.units += u.units;
      b.count += 1;
      b.rolled ||= u.rolledOver;
    };
    const d = m.reg.decimals;
    put(this.days, `${m.meterId}|${day}`, () => ({
      meterId: m.meterId,
      day,
      decimals: d,
      units: 0n,
      count: 0,
      rolled: false,
    }));
    put(this.months, `${m.meterId}|${month}`, () => ({
      meterId: m.meterId,
      month,
      decimals: d,
      units: 0n,
      count: 0,
      rolled: false,
    }));
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function upsert(table: 'consumption_daily' | 'consumption_monthly', replace: boolean) {
  return sql.raw(
    replace
      ? 'excluded.usage, readings = excluded.readings, rolled_over = excluded.rolled_over'
      : `${table}.usage + excluded.usage, readings = ${table}.readings + excluded.readings, rolled_over = ${table}.rolled_over or excluded.rolled_over`,
  );
}

/**
 * Adds the buckets to the rollups (incremental: usage and counts are summed onto what is there),
 * and saves the meters' new latest points (`state`), in one statement: one set-based upsert per
 * table for the whole batch, one round trip. `replace`: the buckets are the whole truth for their
 * days and months (a recomputation).
 */
export async function writeBuckets(
  tx: Tx,
  tenantId: string,
  b: Buckets,
  replace = false,
  state: ReadonlyMap<string, Point> = new Map(),
) {
  if (b.days.size === 0 && b.months.size === 0 && state.size === 0) return;
  await tx.execute(sql`with ${rollupCtes(tenantId, b, replace, state)} select 1`);
}

/**
 * The data-modifying CTEs `d`, `m` and `s` of writeBuckets, for a statement of its own or to end
 * another one; `only`, a CTE of meter ids, limits them to those meters.
 */
export function rollupCtes(
  tenantId: string,
  b: Buckets,
  replace: boolean,
  state: ReadonlyMap<string, Point>,
  only?: 'ok',
) {
  const days = [...b.days.values()];
  const months = [...b.months.values()];
  const e = [...state.entries()];
  const where = only ? sql.raw(`where x.meter_id in (select meter_id from ${only})`) : sql``;
  return sql`d as (
      insert into consumption_daily (tenant_id, meter_id, day, usage, readings, rolled_over)
      select ${tenantId}::uuid, x.* from unnest(${pgArray(days.map((x) => x.meterId))}::uuid[],
        ${pgArray(days.map((x) => x.day))}::date[], ${pgArray(days.map((x) => format(x.units, x.decimals)))}::numeric[],
        ${pgArray(days.map((x) => x.count))}::int[], ${pgArray(days.map((x) => String(x.rolled)))}::bool[])
        as x(meter_id, k, usage, readings, rolled) ${where}
      on conflict (tenant_id, meter_id, day) do update set usage = ${upsert('consumption_daily', replace)}
    ), m as (
      insert into consumption_monthly (tenant_id, meter_id, month, usage, readings, rolled_over)
      select ${tenantId}::uuid, x.* from unnest(${pgArray(months.map((x) => x.meterId))}::uuid[],
        ${pgArray(months.map((x) => x.month))}::date[], ${pgArray(months.map((x) => format(x.units, x.decimals)))}::numeric[],
        ${pgArray(months.map((x) => x.count))}::int[], ${pgArray(months.map((x) => String(x.rolled)))}::bool[])
        as x(meter_id, k, usage, readings, rolled) ${where}
      on conflict (tenant_id, meter_id, month) do update set usage = ${upsert('consumption_monthly', replace)}
    ), s as (
      update reading_state s set ts = x.ts, kind = x.kind, value = x.value
      from (select x.* from unnest(${pgArray(e.map(([m]) => m))}::uuid[], ${pgArray(e.map(([, p]) => iso(p.ts)))}::timestamptz[],
        ${pgArray(e.map(([, p]) => p.kind))}::smallint[], ${pgArray(e.map(([, p]) => p.value))}::numeric[])
        as x(meter_id, ts, kind, value) ${where}) x
      where s.tenant_id = ${tenantId} and s.meter_id = any(${pgArray(e.map(([m]) => m))}::uuid[])
        and s.meter_id = x.meter_id
    )`;
}

/** The last point of the meter at or before `ts` (strictly before when `strict`), any kind. */
export async function pointBefore(
  tx: Tx,
  tenantId: string,
  meterId: string,
  ts: number,
  strict: boolean,
): Promise<Point | null> {
  const cmp = strict ? sql`<` : sql`<=`;
  const [p] = (await tx.execute(sql`
    select (extract(epoch from r.ts) * 1000)::float8 as ts, r.kind::int as kind, r.value::text as value
    from unnest('{1,2,3,4,5}'::smallint[]) k(kind)
    cross join lateral (
      select r.ts, r.kind, r.value from readings r
      where r.tenant_id = ${tenantId} and r.meter_id = ${meterId} and r.kind = k.kind and r.ts ${cmp} ${new Date(ts).toISOString()}::timestamptz
        and r.value is not null
      order by r.ts desc limit 1) r
    order by r.ts desc, r.kind desc limit 1`)) as unknown as Point[];
  return p ?? null;
}

/**
 * Recomputes one meter's rollups from the day holding `from` on, out of the stored readings: for
 * readings that arrived out of order (a frozen value after later real-time ones, a backfill). The
 * days and months from there are rewritten whole. Returns the meter's last point.
 */
export async function recompute(
  tx: Tx,
  tenantId: string,
  z: Zone,
  m: MeterCalc,
  from: number,
): Promise<Point | null> {
  const day0 = z.dayOf(from - 1);
  const month0 = `${day0.slice(0, 7)}-01`;
  const start = z.startOf(day0.slice(0, 7));
  const before = await pointBefore(tx, tenantId, m.meterId, start, false);
  const points = (await tx.execute(sql`
    select (extract(epoch from ts) * 1000)::float8 as ts, kind::int as kind, value::text as value
    from readings where tenant_id = ${tenantId} and meter_id = ${m.meterId} and ts > ${new Date(start).toISOString()}::timestamptz
      and value is not null
    order by ts, kind`)) as unknown as Point[];
  const b = new Buckets(z);
  let prev = before?.value ?? m.initialReading;
  for (const p of points) {
    b.add(m, prev, p);
    prev = p.value;
  }
  await tx.execute(
    sql`delete from consumption_daily where tenant_id = ${tenantId} and meter_id = ${m.meterId} and day >= ${month0}::date`,
  );
  await tx.execute(
    sql`delete from consumption_monthly where tenant_id = ${tenantId} and meter_id = ${m.meterId} and month >= ${month0}::date`,
  );
  await writeBuckets(tx, tenantId, b, true);
  return points.at(-1) ?? before;
}

import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { decodeCursor, encodeCursor } from '../archives/list-kit.ts';
import type { Actor } from '../identity/actor.ts';
import { type FieldState, stateCondition, stateFlags } from './states.ts';

/** Meters without a position sort after every positioned one (metres). */
const FAR = 1e12;

export interface WorkQuery {
  state?: FieldState;
  lat?: number;
  lng?: number;
  limit: number;
  after?: string;
}

export interface WorkItem {
  id: string;
  assetNo: string;
  kind: string;
  control: string;
  keepPower: boolean;
  status: string;
  areaName: string;
  location: string | null;
  lat: number | null;
  lng: number | null;
  /** metres from the phone, when it shared its position and the meter has one */
  distanceM: number | null;
  accountNo: string | null;
  customerName: string | null;
  lastValue: string | null;
  lastTs: string | null;
  balanceFen: string | null;
  states: FieldState[];
}

type Row = Omit<WorkItem, 'states' | 'distanceM'> & {
  lastOutcome: string | null;
  concOnline: boolean | null;
  cut: boolean | null;
  dist: number;
};

/** Start of today in the zone, as a timestamptz expression. */
export function todayStartSql(tz: string): SQL {
  return sql`(date_trunc('day', now() at time zone ${tz}) at time zone ${tz})`;
}

/** The work row of the meters matching `where` (alias m, areas a), as the CTE `w`. */
export function workRows(where: SQL, origin: { lat: number; lng: number } | null): SQL {
  const dist = origin
    ? sql`coalesce(6371000 * sqrt(power(radians(m.lat - ${origin.lat}), 2)
        + power(radians(m.lng - ${origin.lng}) * cos(radians((m.lat + ${origin.lat}) / 2)), 2)), ${FAR})`
    : sql`0::float8`;
  return sql`w as (
    select m.id::text as id, m.asset_no as "assetNo", m.kind, m.control, m.keep_power as "keepPower",
      m.status, a.name as "areaName", m.location, m.lat, m.lng, acc.number as "accountNo",
      cu.name as "customerName", rs.value::text as "lastValue",
      to_char(rs.ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "lastTs", rs.ts as last_ts,
      ab.balance_fen::text as "balanceFen", ab.balance_fen,
      (select t.outcome from reading_task_meters t where t.meter_id = m.id and t.outcome is not null
        order by t.updated_at desc nulls last limit 1) as last_outcome,
      c.online as conc_online,
      (select mc.action in ('valve-close', 'relay-trip') from meter_commands mc
        where mc.meter_id = m.id and mc.status = 'confirmed'
          and mc.action in ('valve-open', 'valve-close', 'relay-trip', 'relay-close')
        order by mc.updated_at desc, mc.id desc limit 1) as cut,
      ${dist} as dist
    from meters m join areas a on a.id = m.area_id
    left join reading_state rs on rs.meter_id = m.id
    left join meter_routes r on r.meter_id = m.id
    left join concentrators c on c.id = r.concentrator_id
    left join accounts acc on acc.id = m.account_id
    left join customers cu on cu.id = acc.customer_id
    left join account_balances ab on ab.account_id = m.account_id
    where ${where})`;
}

export function scopeSql(actor: Actor): SQL {
  return actor.areaScope ? sql`a.path && ${uuidArray(actor.areaScope)}` : sql`true`;
}

export function toItem(r: Row, todayStartMs: number): WorkItem {
  const { lastOutcome, concOnline, cut, dist, ...rest } = r;
  return {
    ...rest,
    distanceM: r.lat === null || dist >= FAR ? null : Math.round(dist),
    states: stateFlags(
      { lastTs: r.lastTs, lastOutcome, concOnline, cut, balanceFen: r.balanceFen },
      todayStartMs,
    ),
  };
}

/**
 * My work: installed or suspended meters in the actor's areas, optionally in one state, nearest
 * first when a position is given (else by asset number); keyset-paged (the cursor names its origin).
 */
export async function workList(tx: Tx, actor: Actor, q: WorkQuery, tz: string) {
  const origin = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : null;
  if ((q.lat === undefined) !== (q.lng === undefined))
    throw new AppError('REQ_VALIDATION', 'lat and lng come together', { fields: ['lat', 'lng'] });
  const sort = origin ? `near:${origin.lat},${origin.lng}` : 'asset';
  const after = q.after ? decodeCursor(q.after, sort) : null;
  if (after && origin && typeof after.key !== 'number') throw new AppError('LIST_CURSOR_INVALID');
  const today = todayStartSql(tz);
  const conds: SQL[] = [sql`true`];
  if (q.state) conds.push(stateCondition(q.state, today));
  if (after)
    conds.push(
      origin
        ? sql`(w.dist, w.id::uuid) > (${Number(after.key)}::float8, ${after.id}::uuid)`
        : sql`(w."assetNo", w.id::uuid) > (${String(after.key)}, ${after.id}::uuid)`,
    );
  const order = origin ? sql`w.dist, w.id::uuid` : sql`w."assetNo", w.id::uuid`;
  const where = sql`${scopeSql(actor)} and m.status in ('installed', 'suspended')`;
  const rows = (await tx.execute(sql`with ${workRows(where, origin)},
    t as (select extract(epoch from ${today}) * 1000 as ms)
    select w.*, w.last_outcome as "lastOutcome", w.conc_online as "concOnline", (select ms from t)::float8 as "todayMs"
    from w where ${sql.join(conds, sql` and `)} order by ${order} limit ${q.limit + 1}`)) as unknown as (Row & {
    todayMs: number;
  })[];
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toItem(r, r.todayMs)),
    next: more && last ? encodeCursor(sort, origin ? last.dist : last.assetNo, last.id) : null,
  };
}

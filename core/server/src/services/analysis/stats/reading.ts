import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { areaFilter, buckets } from './period.ts';

export const READING_GROUPS = ['area', 'concentrator', 'line', 'day'] as const;
export type ReadingGroup = (typeof READING_GROUPS)[number];

export interface ReadingQuery {
  from: string;
  to: string;
  groupBy: ReadingGroup;
  areaId?: string;
  /** a meter is online when its latest reading is at most this many hours old */
  onlineHours: number;
}

const NIL = '00000000-0000-0000-0000-000000000000';

const rate = (ok: number, all: number) => (all === 0 ? null : Math.round((ok / all) * 10_000) / 10_000);

/**
 * Reading success per area, concentrator, line or day (stats_reading_daily: meters with an outcome
 * and those read, of tasks created in the window), and the meters' online rate (reading_state: the
 * latest reading of each installed meter, one row per meter).
 */
export async function readingStats(tx: Tx, actor: Actor, q: ReadingQuery) {
  buckets(q.from, q.to, 'day');
  const { cond, depth } = await areaFilter(tx, actor, q.areaId);
  const key: Record<ReadingGroup, SQL> = {
    area: sql`coalesce(a.path[${depth + 1}], a.id)::text`,
    concentrator: sql`s.concentrator_id::text`,
    line: sql`s.concentrator_id::text || '|' || s.line`,
    day: sql`s.day::text`,
  };
  const rows = (await tx.execute(sql`
    select ${key[q.groupBy]} as key, sum(s.attempted)::int as attempted, sum(s.succeeded)::int as succeeded
    from stats_reading_daily s
    join areas a on a.tenant_id = s.tenant_id and a.id = s.area_id
    where ${cond} and s.day between ${q.from}::date and ${q.to}::date
    group by 1 order by 1`)) as unknown as { key: string; attempted: number; succeeded: number }[];
  const labels = await labelsFor(
    tx,
    q.groupBy,
    rows.map((r) => r.key),
  );
  const items = rows.map((r) => ({
    key: r.key,
    label: labels.get(r.key) ?? r.key,
    attempted: r.attempted,
    succeeded: r.succeeded,
    rate: rate(r.succeeded, r.attempted),
  }));
  const attempted = items.reduce((s, i) => s + i.attempted, 0);
  const succeeded = items.reduce((s, i) => s + i.succeeded, 0);
  const [online] = (await tx.execute(sql`
    select count(*)::int as meters,
      count(*) filter (where st.ts >= now() - make_interval(hours => ${q.onlineHours}))::int as online
    from meters m
    join areas a on a.tenant_id = m.tenant_id and a.id = m.area_id
    left join reading_state st on st.tenant_id = m.tenant_id and st.meter_id = m.id
    where ${cond} and m.status = 'installed'`)) as unknown as { meters: number; online: number }[];
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    items,
    total: { attempted, succeeded, rate: rate(succeeded, attempted) },
    online: { ...online, hours: q.onlineHours, rate: rate(online.online, online.meters) },
  };
}

async function labelsFor(tx: Tx, g: ReadingGroup, keys: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (g === 'day' || keys.length === 0) return out;
  if (g === 'area') {
    const rows = (await tx.execute(sql`select id::text as id, name from areas`)) as unknown as {
      id: string;
      name: string;
    }[];
    for (const r of rows) if (keys.includes(r.id)) out.set(r.id, r.name);
    return out;
  }
  const rows = (await tx.execute(
    sql`select id::text as id, coalesce(nullif(name, ''), number) as name from concentrators`,
  )) as unknown as {
    id: string;
    name: string;
  }[];
  const names = new Map(rows.map((r) => [r.id, r.name]));
  for (const k of keys) {
    const [c, line] = k.split('|');
    const name = c === NIL ? '' : (names.get(c) ?? c);
    out.set(k, g === 'line' ? [name, line].filter(Boolean).join(' / ') || '—' : name || '—');
  }
  return out;
}

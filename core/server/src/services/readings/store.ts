import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { pgArray } from './pg-array.ts';

/** One row for the readings table. */
export interface ReadingRow {
  n: number;
  meterId: string;
  kind: number;
  ts: number;
  value: string | null;
  registers: Record<string, string | null> | null;
  flags: string[];
  status: number | null;
  statusProtocol: string | null;
  receivedAt: number;
  idemKey: string;
}

/** The idempotency key as stored: its md5 as a uuid (what PostgreSQL's md5(k)::uuid gives). */
export function keyHash(k: string): string {
  const h = createHash('md5').update(k).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** How close to a partition bound a reading's key is also kept in reading_keys. */
export const KEY_BOUND_MARGIN_MS = 24 * 3_600_000;

/**
 * Whether a reading at `ts` lies within KEY_BOUND_MARGIN_MS of its UTC month partition's bounds,
 * where a replay stamped with another time could land in the neighbouring partition, out of
 * reach of the partition's unique key index.
 */
export function nearPartitionBound(ts: number): boolean {
  const d = new Date(ts);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return ts - start < KEY_BOUND_MARGIN_MS || end - ts <= KEY_BOUND_MARGIN_MS;
}

/**
 * Stores a batch inside the tenant transaction (COPY is refused under FORCE RLS) with one
 * INSERT … SELECT FROM unnest … ON CONFLICT DO NOTHING: a reading conflicts on its key
 * (tenant, meter, kind, ts) or on its idempotency key, unique per month partition (migration
 * 0007). Only readings near a partition bound also record their key in reading_keys first, so a
 * replay with another measuredAt in the neighbouring month is a duplicate too. Returns the batch
 * positions actually stored (the others are duplicates), and the meters whose `then` ran. Keys are
 * unique within the batch (the caller dedupes).
 *
 * `then` ends the same statement: CTEs (the rollups of the batch, computed as if every reading is
 * stored) that may read `ok`, the meters all of whose `counts` readings were inserted; the caller
 * rolls up the other meters itself.
 */
export async function storeRows(
  tx: Tx,
  tenantId: string,
  all: readonly ReadingRow[],
  then?: { counts: ReadonlyMap<string, number>; ctes: SQL },
): Promise<{ stored: Set<number>; rolled: Set<string> }> {
  const none = { stored: new Set<number>(), rolled: new Set<string>() };
  if (all.length === 0) return none;
  let rows = all;
  const edge = all.filter((r) => nearPartitionBound(r.ts));
  if (edge.length > 0) {
    const hashes = edge.map((r) => keyHash(r.idemKey));
    const fresh = new Set(
      (
        (await tx.execute(sql`
          insert into reading_keys (tenant_id, key)
          select ${tenantId}::uuid, k from unnest(${pgArray(hashes)}::uuid[]) k
          on conflict do nothing returning key::text as key`)) as unknown as { key: string }[]
      ).map((r) => r.key),
    );
    const taken = new Set(edge.filter((_, i) => !fresh.has(hashes[i])).map((r) => r.n));
    if (taken.size > 0) rows = all.filter((r) => !taken.has(r.n));
  }
  if (rows.length === 0) return none;
  const c = [...(then?.counts ?? new Map<string, number>()).entries()];
  const tail = then
    ? sql`, ok as (
      select e.meter_id from unnest(${pgArray(c.map(([m]) => m))}::uuid[], ${pgArray(c.map(([, n]) => n))}::int[])
        as e(meter_id, n)
      join (select meter_id, count(*)::int as n from ins group by meter_id) i using (meter_id)
      where i.n = e.n
    ), ${then.ctes}`
    : sql``;
  const col = <T>(f: (r: ReadingRow) => T) => rows.map(f);
  // the common answer is "all of them": the keys come back only when some were duplicates
  const [res] = (await tx.execute(sql`
    with ins as (
    insert into readings (tenant_id, meter_id, kind, ts, value, registers, flags, status, status_protocol,
      received_at, idem_key)
    select ${tenantId}::uuid, meter_id, kind, ts, value, registers, string_to_array(flags, ' '), status,
      status_protocol, received_at, idem_key
    from unnest(
      ${pgArray(col((r) => r.meterId))}::uuid[], ${pgArray(col((r) => r.kind))}::smallint[],
      ${pgArray(col((r) => iso(r.ts)))}::timestamptz[], ${pgArray(col((r) => r.value))}::numeric[],
      ${pgArray(col((r) => (r.registers ? JSON.stringify(r.registers) : null)))}::jsonb[],
      ${pgArray(col((r) => (r.flags.length ? r.flags.join(' ') : null)))}::text[],
      ${pgArray(col((r) => r.status))}::bigint[], ${pgArray(col((r) => r.statusProtocol))}::text[],
      ${pgArray(col((r) => iso(r.receivedAt)))}::timestamptz[], ${pgArray(col((r) => r.idemKey))}::text[]
    ) as i(meter_id, kind, ts, value, registers, flags, status, status_protocol, received_at, idem_key)
    on conflict do nothing returning meter_id, idem_key)${tail}
    select n, case when n < ${rows.length} then (select array_agg(idem_key) from ins) end as keys,
      ${then ? sql`case when n < ${all.length} then (select array_agg(meter_id::text) from ok) end` : sql`null::text[]`} as rolled
    from (select count(*)::int as n from ins) c`)) as unknown as {
    n: number;
    keys: string[] | null;
    rolled: string[] | null;
  }[];
  // every reading inserted: every meter of `counts` is in `ok`
  const rolled = new Set(then ? (res.n === all.length ? then.counts.keys() : (res.rolled ?? [])) : []);
  if (res.n === rows.length) return { stored: new Set(rows.map((r) => r.n)), rolled };
  const byKey = new Map(rows.map((r) => [r.idemKey, r.n]));
  return { stored: new Set((res.keys ?? []).map((k) => byKey.get(k) as number)), rolled };
}

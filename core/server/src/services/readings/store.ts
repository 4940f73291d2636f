import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
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

/**
 * Stores a batch inside the tenant transaction (COPY is refused under FORCE RLS) in two linear
 * statements with no join the planner could misjudge: the keys not seen before are recorded, and
 * only their readings are inserted with unnest, ON CONFLICT DO NOTHING on (tenant, meter, kind,
 * ts). Returns the batch positions actually stored; the others are duplicates (by idempotency key
 * or by key instant). Keys are unique within the batch (the caller dedupes).
 */
export async function storeRows(tx: Tx, tenantId: string, all: readonly ReadingRow[]): Promise<Set<number>> {
  if (all.length === 0) return new Set();
  const hashes = all.map((r) => keyHash(r.idemKey));
  const fresh = new Set(
    (
      (await tx.execute(sql`
        insert into reading_keys (tenant_id, key)
        select ${tenantId}::uuid, k from unnest(${pgArray(hashes)}::uuid[]) k
        on conflict do nothing returning key::text as key`)) as unknown as { key: string }[]
    ).map((r) => r.key),
  );
  const rows = all.filter((_, i) => fresh.has(hashes[i]));
  if (rows.length === 0) return new Set();
  const col = <T>(f: (r: ReadingRow) => T) => rows.map(f);
  const stored = (await tx.execute(sql`
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
    on conflict do nothing returning idem_key`)) as unknown as { idem_key: string }[];
  const byKey = new Map(rows.map((r) => [r.idemKey, r.n]));
  return new Set(stored.map((r) => byKey.get(r.idem_key) as number));
}

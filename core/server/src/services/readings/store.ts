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
 * Stores a batch in one statement inside the tenant transaction (COPY is refused under FORCE RLS):
 * the keys not seen before are recorded, and only their readings are inserted, ON CONFLICT DO
 * NOTHING on (tenant, meter, kind, ts). Returns the batch positions actually stored; the others
 * are duplicates (by idempotency key or by key instant).
 */
export async function storeRows(tx: Tx, tenantId: string, rows: readonly ReadingRow[]): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const col = <T>(f: (r: ReadingRow) => T) => rows.map(f);
  const stored = (await tx.execute(sql`
    with i as (
      select * from unnest(
        ${pgArray(col((r) => r.n))}::int[], ${pgArray(col((r) => r.meterId))}::uuid[],
        ${pgArray(col((r) => r.kind))}::smallint[], ${pgArray(col((r) => iso(r.ts)))}::timestamptz[],
        ${pgArray(col((r) => r.value))}::numeric[],
        ${pgArray(col((r) => (r.registers ? JSON.stringify(r.registers) : null)))}::jsonb[],
        ${pgArray(col((r) => (r.flags.length ? r.flags.join(' ') : null)))}::text[],
        ${pgArray(col((r) => r.status))}::bigint[], ${pgArray(col((r) => r.statusProtocol))}::text[],
        ${pgArray(col((r) => iso(r.receivedAt)))}::timestamptz[], ${pgArray(col((r) => r.idemKey))}::text[],
        ${pgArray(col((r) => keyHash(r.idemKey)))}::uuid[]
      ) as i(n, meter_id, kind, ts, value, registers, flags, status, status_protocol, received_at, idem_key, key)
    ),
    fresh as (
      insert into reading_keys (tenant_id, key) select ${tenantId}::uuid, i.key from i
      on conflict do nothing returning key
    ),
    ins as (
      insert into readings (tenant_id, meter_id, kind, ts, value, registers, flags, status, status_protocol,
        received_at, idem_key)
      select ${tenantId}::uuid, i.meter_id, i.kind, i.ts, i.value, i.registers, string_to_array(i.flags, ' '),
        i.status, i.status_protocol, i.received_at, i.idem_key
      from i where i.key in (select key from fresh)
      on conflict do nothing returning meter_id, kind, ts
    )
    select i.n from i join ins on ins.meter_id = i.meter_id and ins.kind = i.kind and ins.ts = i.ts`)) as unknown as {
    n: number;
  }[];
  return new Set(stored.map((r) => r.n));
}

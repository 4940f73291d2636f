// Test and bench helpers of the ingest path: tenants with meters on routes, built with plain SQL.
import { randomBytes } from 'node:crypto';
import type { RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { childArea, insertAreas } from '../../estate-bulk.ts';
import { installedPlugins } from '../../installed-plugins.ts';
import { createLogger } from '../../logger.ts';
import { createRegistry } from '../../registry/index.ts';
import { meterKinds } from '../archives/meter-kinds.ts';
import { createTenant } from '../tenants/tenants.ts';
import type { IngestDeps } from './ingest.ts';
import { partitionKeeper } from './partitions.ts';
import { pgArray } from './pg-array.ts';
import { zone } from './zone.ts';

export const TRANSPORT = 'transport-test';

export function ingestDeps(db: Db, now?: () => number): IngestDeps {
  const registry = createRegistry({ plugins: installedPlugins, logger: createLogger('silent') });
  return {
    db,
    kinds: meterKinds(registry),
    zone: zone('Asia/Shanghai'),
    partitions: partitionKeeper(db, now),
  };
}

/** A tenant with one area that enabled `TRANSPORT` (unless `enable` is false). */
export async function ingestTenant(db: Db, code: string, enable = true) {
  const t = await createTenant(db, {
    code,
    name: code,
    adminUsername: 'admin',
    adminPassword: `pw-${randomBytes(8).toString('hex')}`,
  });
  const area = childArea(null, `${code} area`, 'company', 0);
  await withTenant(db, t.id, async (tx) => {
    await insertAreas(tx, [area]);
    await tx.execute(
      sql`insert into plugin_settings (tenant_id, plugin_id, enabled) values (${t.id}, ${TRANSPORT}, ${enable})`,
    );
  });
  return { tenantId: t.id, areaId: area.id };
}

export interface MeterSpec {
  kind?: string;
  protocol?: string;
  comm: string;
  via: 'serial' | 'concentrator' | 'nbiot' | 'lora';
  line: string;
  address?: string;
  digits?: number;
  initial?: string;
}

/** Installed meters with routes; answers their ids in order. One statement per table. */
export async function addMeters(db: Db, t: { tenantId: string; areaId: string }, specs: MeterSpec[]) {
  return await withTenant(db, t.tenantId, async (tx) => {
    const ids = (await tx.execute(sql`
      insert into meters (tenant_id, kind, asset_no, comm_address, protocol, area_id, digits, initial_reading, status)
      select ${t.tenantId}::uuid, k, 'A' || lpad(n::text, 9, '0') || substr(md5(random()::text), 1, 6), c, p,
        ${t.areaId}::uuid, d, i, 'installed'
      from unnest(${pgArray(specs.map((s) => s.kind ?? 'meter-water'))}::text[],
        ${pgArray(specs.map((s) => s.comm))}::text[], ${pgArray(specs.map((s) => s.protocol ?? 'cjt188'))}::text[],
        ${pgArray(specs.map((s) => s.digits ?? 5))}::smallint[], ${pgArray(specs.map((s) => s.initial ?? '0'))}::numeric[])
        with ordinality as u(k, c, p, d, i, n)
      order by n returning id::text as id`)) as unknown as { id: string }[];
    await tx.execute(sql`
      insert into meter_routes (tenant_id, meter_id, via, line, address)
      select ${t.tenantId}::uuid, m, v, l, a from unnest(${pgArray(ids.map((r) => r.id))}::uuid[],
        ${pgArray(specs.map((s) => s.via))}::text[], ${pgArray(specs.map((s) => s.line))}::text[],
        ${pgArray(specs.map((s) => s.address ?? s.comm))}::text[]) as u(m, v, l, a)`);
    return ids.map((r) => r.id);
  });
}

/** A concentrator with A1/A2 in the tenant; answers its id. */
export async function addConcentrator(
  db: Db,
  t: { tenantId: string; areaId: string },
  a1: string,
  a2: number,
) {
  return await withTenant(db, t.tenantId, async (tx) => {
    const [c] = (await tx.execute(sql`
      insert into concentrators (tenant_id, number, a1, a2, area_id)
      values (${t.tenantId}, ${`C${a1}${a2}`}, ${a1}, ${a2}, ${t.areaId}) returning id::text as id`)) as unknown as {
      id: string;
    }[];
    return c.id;
  });
}

/** A real-time water reading on a serial line. */
export function serialReading(
  line: string,
  address: string,
  at: string,
  total: string | null,
  extra: Partial<RawReading> = {},
): RawReading {
  return {
    route: { via: 'serial', line, address },
    kind: 'realtime',
    measuredAt: at,
    receivedAt: at,
    registers: { totalVolume: total },
    idempotencyKey: `${line}|${address}|${at}`,
    ...extra,
  };
}

/** Meter i's address on a test line. */
export const testAddress = (i: number) => String(i + 1).padStart(12, '0');

/**
 * `batches` batches of real-time readings of `meters` meters on `line`: batch k is day k of
 * 2026-11 at 08:00 (Asia/Shanghai), meter i reading (k + 1) · (i + 1) m³ — so every meter's
 * consumption over all batches is known exactly.
 */
export function dayBatches(line: string, meters: number, batches: number): RawReading[][] {
  return Array.from({ length: batches }, (_, k) =>
    Array.from({ length: meters }, (_, i) =>
      serialReading(
        line,
        testAddress(i),
        `2026-11-${String(k + 1).padStart(2, '0')}T08:00:00+08:00`,
        ((k + 1) * (i + 1)).toFixed(3),
      ),
    ),
  );
}

import type { GatewayAddress, GatewayOutcome, IngestOutcome, IngestResult, RawReading } from '@quadmeter/sdk';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { concentrators } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import { countIngest } from '../../metrics/ingest.ts';
import type { MeterKinds } from '../archives/meter-kinds.ts';
import { resolveGateway, resolveRoutes } from './device-registry.ts';
import { type Item, ingestTenant } from './ingest-tenant.ts';
import type { PartitionKeeper } from './partitions.ts';
import { utcMonth } from './partitions.ts';
import { KIND_CODES, keyInstant, shapeCheck } from './prepare.ts';
import { keepUnmatched } from './unmatched.ts';
import type { Zone } from './zone.ts';

export interface IngestDeps {
  /** the jobs/ingest pool, so bulk ingest never starves the API */
  db: Db;
  kinds: MeterKinds;
  zone: Zone;
  partitions: PartitionKeeper;
  /** told after a tenant's share committed: the meters and instants (ms) of the readings stored */
  stored?: (tenantId: string, readings: { meterId: string; ts: number }[]) => Promise<void>;
}

export function summarize(outcomes: IngestOutcome[]): IngestResult {
  const count = (s: IngestOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return {
    outcomes,
    stored: count('stored'),
    duplicate: count('duplicate'),
    rejected: count('rejected'),
    unmatched: count('unmatched'),
  };
}

/**
 * The ingest path for readings handed in by plugin `pluginId`: shape check → device registry
 * (route → tenant, meter among the tenants that enabled the plugin) → partitions → one tenant
 * transaction per tenant: validate, store, rollups. One outcome per reading, in order. A failing
 * transaction (the database gone, the process killed) stores nothing of its tenant's share, so
 * the caller's retry of the same batch stores each reading exactly once. An unmatched reading that
 * names its tenant is kept in that tenant's unmatched-uplinks inbox (`kept: true`).
 */
export async function ingestReadings(
  deps: IngestDeps,
  pluginId: string,
  readings: readonly RawReading[],
  /** runs first in each tenant's transaction (a gateway's lease fence): throwing rolls the batch back */
  fence?: (tx: Tx) => Promise<void>,
): Promise<IngestResult> {
  const outcomes: IngestOutcome[] = new Array(readings.length);
  const ok: { n: number; raw: RawReading }[] = [];
  readings.forEach((raw, n) => {
    const reasons = shapeCheck(raw);
    if (reasons.length > 0) outcomes[n] = { status: 'rejected', reasons };
    else ok.push({ n, raw });
  });
  const resolved =
    ok.length > 0
      ? await resolveRoutes(
          deps.db,
          pluginId,
          ok.map((o) => o.raw),
        )
      : [];
  const byTenant = new Map<string, Item[]>();
  const months = new Set<string>();
  ok.forEach(({ n, raw }, i) => {
    const r = resolved[i];
    if (r === 'NO_ROUTE' || r === 'AMBIGUOUS') {
      outcomes[n] = { status: 'unmatched', reason: r };
      return;
    }
    const ts = keyInstant(raw, deps.zone);
    months.add(utcMonth(ts));
    const item: Item = {
      n,
      raw,
      meter: r,
      kind: KIND_CODES[raw.kind],
      ts,
      receivedAt: Date.parse(raw.receivedAt),
    };
    const list = byTenant.get(r.tenantId) ?? byTenant.set(r.tenantId, []).get(r.tenantId);
    list?.push(item);
  });
  if (byTenant.size > 0) await deps.partitions.ensure(months);
  for (const [tenantId, items] of byTenant) {
    await withTenant(deps.db, tenantId, async (tx) => {
      await fence?.(tx);
      return await ingestTenant(tx, deps, tenantId, items, outcomes);
    });
    if (deps.stored) {
      const stored = items.filter((it) => outcomes[it.n]?.status === 'stored');
      if (stored.length)
        await deps.stored(
          tenantId,
          stored.map((it) => ({ meterId: it.meter.meterId, ts: it.ts })),
        );
    }
  }
  await keepUnmatched(deps.db, pluginId, readings, outcomes);
  const result = summarize(outcomes);
  countIngest(pluginId, result);
  return result;
}

/**
 * A concentrator's online state and heartbeat, written on its archive row in its tenant. An A1/A2
 * found in no tenant that enabled the plugin, or in several, changes nothing.
 */
export async function gatewayEvent(
  db: Db,
  pluginId: string,
  g: GatewayAddress,
  e: { online: boolean; heartbeat: boolean; at?: string },
): Promise<GatewayOutcome> {
  const found = await resolveGateway(db, pluginId, g);
  if (found.length !== 1) return { matched: false };
  const { tenantId, gatewayId } = found[0];
  const at = e.at ? new Date(e.at) : new Date();
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(concentrators)
      .set({
        online: e.online,
        ...(e.heartbeat && {
          lastHeartbeatAt: sql`greatest(${concentrators.lastHeartbeatAt}, ${at.toISOString()}::timestamptz)`,
        }),
      })
      .where(and(eq(concentrators.tenantId, tenantId), eq(concentrators.id, gatewayId))),
  );
  return { matched: true, tenantId, gatewayId };
}

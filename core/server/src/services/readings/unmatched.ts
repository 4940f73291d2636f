import type { IngestOutcome, MeterRoute, RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { enabledTenants } from './device-registry.ts';
import { pgArray } from './pg-array.ts';

/** The device a route names, as the inbox lists it: the id and, where there is one, its qualifier. */
export function routeDevice(r: MeterRoute): { via: string; deviceId: string; platform: string | null } {
  switch (r.via) {
    case 'nbiot':
      return { via: r.via, deviceId: r.deviceId, platform: r.platform ?? null };
    case 'lora':
      return { via: r.via, deviceId: r.devEui.toLowerCase(), platform: null };
    case 'serial':
      return { via: r.via, deviceId: r.address, platform: r.line };
    case 'concentrator':
      return {
        via: r.via,
        deviceId: String(r.point),
        platform: `${r.gateway.a1.toUpperCase()}-${r.gateway.a2}`,
      };
  }
}

/**
 * Keeps the unmatched readings that name their tenant (a push transport authenticated the caller
 * as that tenant) in the tenant's inbox, one row per idempotency key (a replay counts `seen`).
 * A tenant that did not enable the plugin keeps nothing: a plugin cannot write into it. Marks the
 * kept outcomes `kept: true`.
 */
export async function keepUnmatched(
  db: Db,
  pluginId: string,
  readings: readonly RawReading[],
  outcomes: IngestOutcome[],
): Promise<void> {
  const byTenant = new Map<string, number[]>();
  outcomes.forEach((o, n) => {
    const t = readings[n].tenantId;
    if (o.status !== 'unmatched' || !t) return;
    const list = byTenant.get(t) ?? byTenant.set(t, []).get(t);
    list?.push(n);
  });
  if (byTenant.size === 0) return;
  const enabled = new Set(await enabledTenants(db, pluginId));
  for (const [tenantId, ns] of byTenant) {
    if (!enabled.has(tenantId)) continue;
    // one row per key: the same message twice in a batch is one uplink
    const keys = new Set<string>();
    const rows = ns
      .filter((n) => !keys.has(readings[n].idempotencyKey) && keys.add(readings[n].idempotencyKey))
      .map((n) => ({ n, r: readings[n], d: routeDevice(readings[n].route) }));
    await withTenant(db, tenantId, (tx) =>
      tx.execute(sql`
        insert into unmatched_uplinks
          (tenant_id, plugin_id, via, device_id, platform, reason, idem_key, reading, raw, received_at)
        select ${tenantId}::uuid, ${pluginId}, u.via, u.device, u.platform, u.reason, u.key, u.reading::jsonb,
          u.raw, u.received
        from unnest(
          ${pgArray(rows.map((x) => x.d.via))}::text[], ${pgArray(rows.map((x) => x.d.deviceId))}::text[],
          ${pgArray(rows.map((x) => x.d.platform))}::text[],
          ${pgArray(rows.map((x) => (outcomes[x.n] as { reason: string }).reason))}::text[],
          ${pgArray(rows.map((x) => x.r.idempotencyKey))}::text[],
          ${pgArray(rows.map((x) => JSON.stringify(x.r)))}::text[], ${pgArray(rows.map((x) => x.r.raw ?? null))}::text[],
          ${pgArray(rows.map((x) => x.r.receivedAt))}::timestamptz[]
        ) as u(via, device, platform, reason, key, reading, raw, received)
        on conflict (tenant_id, idem_key) do update set seen = unmatched_uplinks.seen + 1`),
    );
    for (const n of ns) {
      const o = outcomes[n];
      if (o.status === 'unmatched') outcomes[n] = { ...o, kept: true };
    }
  }
}

import type { GatewayAddress, MeterRoute } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { readSystem } from '../../db/tenant.ts';
import { pgArray } from './pg-array.ts';

/** A meter a route resolved to, with what ingest needs of it. */
export interface ResolvedMeter {
  tenantId: string;
  meterId: string;
  /** the meter type (plugin id) */
  kind: string;
  digits: number;
  /** the reading it was installed with: where its consumption starts */
  initialReading: string;
}

export type Resolution = ResolvedMeter | 'NO_ROUTE' | 'AMBIGUOUS';

interface Row {
  n: number;
  tenantId: string;
  meterId: string;
  kind: string;
  digits: number;
  initial: string;
}

/** The route as the meter_routes key stores it: via, line (null: any), address; concentrators by A1/A2. */
function key(r: MeterRoute) {
  switch (r.via) {
    case 'serial':
      return { via: r.via, line: r.line, address: r.address, a1: null, a2: null };
    case 'concentrator':
      return {
        via: r.via,
        line: null,
        address: String(r.point),
        a1: r.gateway.a1.toUpperCase(),
        a2: r.gateway.a2,
      };
    case 'nbiot':
      return { via: r.via, line: r.platform ?? null, address: r.deviceId, a1: null, a2: null };
    case 'lora':
      return { via: r.via, line: 'lora', address: r.devEui.toUpperCase(), a1: null, a2: null };
  }
}

/**
 * The device registry: resolves routes to (tenant, meter) across tenants — a webhook knows only an
 * IMEI, a concentrator only its A1/A2 — among the tenants that enabled `pluginId`. A route found in
 * no such tenant is NO_ROUTE; one found in several (the same IMEI registered by two tenants) is
 * AMBIGUOUS and never guessed. A reading naming its tenant is resolved in that tenant only.
 * The explicit cross-tenant path (system role), one statement for the whole batch: each route is
 * an index probe on (via, address, line) and each meter found one on its key, as lateral subqueries
 * the planner cannot turn into hashes or scans of the whole registry (it misjudges how few rows a
 * route finds), so the cost grows with the batch, never with the number of meters.
 */
export async function resolveRoutes(
  db: Db,
  pluginId: string,
  items: readonly { route: MeterRoute; tenantId?: string }[],
): Promise<Resolution[]> {
  const keys = items.map((i) => key(i.route));
  const rows = (await readSystem(db, (d) =>
    d.execute(sql`
      with i as (
        select * from unnest(
          ${pgArray(keys.map((k) => k.via))}::text[], ${pgArray(keys.map((k) => k.line))}::text[],
          ${pgArray(keys.map((k) => k.address))}::text[], ${pgArray(items.map((i) => i.tenantId ?? null))}::uuid[],
          ${pgArray(keys.map((k) => k.a1))}::text[], ${pgArray(keys.map((k) => k.a2))}::int[]
        ) with ordinality as i(via, line, address, tenant, a1, a2, n)
      ),
      g as (
        select i.n, i.via, coalesce(c.id::text, i.line) as line, i.address, coalesce(c.tenant_id, i.tenant) as tenant,
          c.id is not null as gateway
        from i left join concentrators c on i.a1 is not null and c.a1 = i.a1 and c.a2 = i.a2
          and (i.tenant is null or c.tenant_id = i.tenant)
        where i.a1 is null or c.id is not null
      ),
      r as (
        select g.n, x.* from g cross join lateral (
          select r.tenant_id, r.meter_id, m.kind, m.digits, m.initial_reading from meter_routes r
          cross join lateral (select m.kind, m.digits, m.initial_reading from meters m
            where m.tenant_id = r.tenant_id and m.id = r.meter_id offset 0) m
          where r.via = g.via and r.address = g.address and r.line = g.line
            and (g.tenant is null or r.tenant_id = g.tenant) offset 0) x
        where g.line is not null
        union all
        select g.n, x.* from g cross join lateral (
          select r.tenant_id, r.meter_id, m.kind, m.digits, m.initial_reading from meter_routes r
          cross join lateral (select m.kind, m.digits, m.initial_reading from meters m
            where m.tenant_id = r.tenant_id and m.id = r.meter_id offset 0) m
          where r.via = g.via and r.address = g.address
            and (g.tenant is null or r.tenant_id = g.tenant) offset 0) x
        where g.line is null
      )
      select r.n::int as n, r.tenant_id::text as "tenantId", r.meter_id::text as "meterId", r.kind,
        r.digits, r.initial_reading::text as initial
      from r
      where r.tenant_id in (select p.tenant_id from plugin_settings p where p.plugin_id = ${pluginId} and p.enabled)`),
  )) as unknown as Row[];
  const out: Resolution[] = items.map(() => 'NO_ROUTE');
  for (const r of rows) {
    const at = r.n - 1;
    out[at] =
      out[at] === 'NO_ROUTE'
        ? {
            tenantId: r.tenantId,
            meterId: r.meterId,
            kind: r.kind,
            digits: Number(r.digits),
            initialReading: r.initial,
          }
        : 'AMBIGUOUS';
  }
  return out;
}

/** The concentrators with this A1/A2 among the tenants that enabled `pluginId`. */
export async function resolveGateway(db: Db, pluginId: string, g: GatewayAddress) {
  return (await readSystem(db, (d) =>
    d.execute(sql`
      select c.tenant_id::text as "tenantId", c.id::text as "gatewayId" from concentrators c
      where c.a1 = ${g.a1.toUpperCase()} and c.a2 = ${g.a2} and c.status = 'active'
        and c.tenant_id in (select p.tenant_id from plugin_settings p where p.plugin_id = ${pluginId} and p.enabled)`),
  )) as unknown as { tenantId: string; gatewayId: string }[];
}

/** The tenants that enabled the plugin. */
export async function enabledTenants(db: Db, pluginId: string): Promise<string[]> {
  const rows = (await readSystem(db, (d) =>
    d.execute(sql`
      select tenant_id::text as "tenantId" from plugin_settings
      where plugin_id = ${pluginId} and enabled order by tenant_id`),
  )) as unknown as { tenantId: string }[];
  return rows.map((r) => r.tenantId);
}

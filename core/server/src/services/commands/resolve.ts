import type { LineRef, MeterRoute, MeterTarget, PollTransport, PushTransport } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Registry } from '../../registry/index.ts';
import { type PendingMeter, planReads, pollTransports } from '../reading-tasks/plan.ts';

/** Where a command goes: the transport owning the meter, with the line and target a read would use. */
export type Reach =
  | { ok: true; kind: 'poll'; transport: PollTransport; line: LineRef; target: MeterTarget }
  | { ok: true; kind: 'push'; transport: PushTransport; route: MeterRoute; target: MeterTarget }
  | { ok: false; code: string; detail: string; retryable: boolean };

async function routeOf(tx: Tx, meterId: string): Promise<PendingMeter | undefined> {
  const [m] = (await tx.execute(sql`
    select m.id::text as "meterId", m.protocol, m.comm_address as address, m.vendor_profile as profile,
      r.via, r.line, r.address as "routeAddress", r.baud, r.parity, r.concentrator_id::text as "concentratorId",
      r.point_no as point, r.port, c.a1, c.a2, c.online, c.protocol as "gatewayProtocol"
    from meters m left join meter_routes r on r.meter_id = m.id
    left join concentrators c on c.id = r.concentrator_id and c.status = 'active'
    where m.id = ${meterId}`)) as unknown as PendingMeter[];
  return m;
}

async function enabledPlugins(tx: Tx): Promise<Set<string>> {
  const rows = (await tx.execute(
    sql`select plugin_id as id from plugin_settings where enabled`,
  )) as unknown as {
    id: string;
  }[];
  return new Set(rows.map((r) => r.id));
}

/**
 * The transport that owns a meter, chosen as the reading engine chooses (decision 0013): a serial
 * or concentrator route goes to the first running, tenant-enabled poll transport speaking the
 * meter's (or the concentrator's) protocol; an NB-IoT or LoRa route to the running, enabled push
 * transport whose control reaches that route and speaks the meter's protocol.
 */
export async function reachMeter(tx: Tx, registry: Registry, meterId: string): Promise<Reach> {
  const m = await routeOf(tx, meterId);
  if (!m || m.via === null)
    return { ok: false, code: 'NO_ROUTE', detail: 'The meter has no route', retryable: false };
  const target: MeterTarget = { meterId, ref: { protocol: m.protocol, address: m.address } };
  if (m.via === 'nbiot' || m.via === 'lora') {
    const enabled = await enabledPlugins(tx);
    const t = registry
      .ofKind('transport')
      .find(
        (p): p is PushTransport =>
          p.mode === 'push' &&
          typeof p.control === 'function' &&
          (p.reaches ?? []).includes(m.via as 'nbiot' | 'lora') &&
          p.protocols.includes(m.protocol) &&
          enabled.has(p.id) &&
          registry.status(p.id) === 'running',
      );
    if (!t)
      return {
        ok: false,
        code: 'CONTROL_UNSUPPORTED',
        detail: `No running transport sends commands to ${m.via} meters`,
        retryable: false,
      };
    const route: MeterRoute =
      m.via === 'lora'
        ? { via: 'lora', devEui: m.routeAddress ?? '' }
        : {
            via: 'nbiot',
            deviceId: m.routeAddress ?? '',
            ...(m.line && { platform: m.line as 'ctwing' | 'onenet' | 'iotda' }),
          };
    return { ok: true, kind: 'push', transport: t, route, target: { ...target, route } };
  }
  const plan = planReads([m], await pollTransports(tx, registry));
  const batch = plan.lines[0];
  if (batch) {
    const t = registry.get(batch.transport) as PollTransport;
    return { ok: true, kind: 'poll', transport: t, line: batch.line, target: batch.meters[0] };
  }
  const s = plan.settled[0];
  if (s?.outcome === 'offline')
    return { ok: false, code: 'GATEWAY_OFFLINE', detail: s.detail, retryable: true };
  return {
    ok: false,
    code: s?.outcome === 'unsupported' ? 'CONTROL_UNSUPPORTED' : 'NO_ROUTE',
    detail: s?.detail ?? 'The meter cannot be reached',
    retryable: false,
  };
}

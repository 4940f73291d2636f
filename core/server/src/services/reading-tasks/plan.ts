import type { LineRef, MeterTarget, PollTransport } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Registry } from '../../registry/index.ts';
import type { Outcome } from './kinds.ts';

/** A pending meter of a task with its route as it is now. */
export interface PendingMeter {
  meterId: string;
  protocol: string;
  address: string;
  profile: string | null;
  via: 'serial' | 'concentrator' | 'nbiot' | 'lora' | null;
  line: string | null;
  routeAddress: string | null;
  baud: number | null;
  parity: 'E' | 'N' | 'O' | null;
  /** the concentrator's port the meter hangs on */
  port: number | null;
  concentratorId: string | null;
  point: number | null;
  a1: string | null;
  a2: number | null;
  online: boolean | null;
  gatewayProtocol: string | null;
}

/** The meters of one line (or one concentrator) handed to one transport, read one after another. */
export interface LineBatch {
  transport: string;
  line: LineRef;
  meters: MeterTarget[];
}

export interface Plan {
  lines: LineBatch[];
  /** meters reached only by push (NB-IoT, LoRa): they are answered from stored readings */
  push: PendingMeter[];
  /** meters settled without a read: no route, concentrator offline, no transport */
  settled: { meterId: string; outcome: Outcome; detail: string; transport?: string }[];
}

/** Meters of the task still to read in round `round`: never tried, or failed retryably before. */
export async function pendingMeters(tx: Tx, taskId: string, round: number): Promise<PendingMeter[]> {
  return (await tx.execute(sql`
    select tm.meter_id::text as "meterId", m.protocol, m.comm_address as address, m.vendor_profile as profile,
      r.via, r.line, r.address as "routeAddress", r.baud, r.parity, r.concentrator_id::text as "concentratorId",
      r.point_no as point, r.port, c.a1, c.a2, c.online, c.protocol as "gatewayProtocol"
    from reading_task_meters tm join meters m on m.id = tm.meter_id
    left join meter_routes r on r.meter_id = tm.meter_id
    left join concentrators c on c.id = r.concentrator_id and c.status = 'active'
    where tm.task_id = ${taskId}
      and (tm.outcome is null or (tm.outcome in ('timeout', 'checksum', 'offline') and tm.attempts <= ${round}))
    order by r.line, r.point_no, r.address, tm.meter_id`)) as unknown as PendingMeter[];
}

/** Poll transports that run and that the tenant enabled, in the registry's order. */
export async function pollTransports(tx: Tx, registry: Registry): Promise<PollTransport[]> {
  const enabled = new Set(
    (
      (await tx.execute(sql`select plugin_id as id from plugin_settings where enabled`)) as unknown as {
        id: string;
      }[]
    ).map((r) => r.id),
  );
  return registry
    .ofKind('transport')
    .filter(
      (p): p is PollTransport =>
        p.mode === 'poll' && enabled.has(p.id) && registry.status(p.id) === 'running',
    );
}

const PARITY = { E: 'even', N: 'none', O: 'odd' } as const;

function target(m: PendingMeter): MeterTarget {
  const params = {
    ...(m.baud !== null && { baudRate: m.baud }),
    ...(m.parity !== null && { parity: PARITY[m.parity] }),
    ...(m.profile !== null && { profile: m.profile }),
    ...(m.port !== null && { port: m.port }),
  };
  const route =
    m.via === 'concentrator' && m.a1 !== null && m.a2 !== null && m.point !== null
      ? { via: 'concentrator' as const, gateway: { a1: m.a1, a2: m.a2 }, point: m.point }
      : { via: 'serial' as const, line: m.line ?? '', address: m.routeAddress ?? m.address };
  return {
    meterId: m.meterId,
    ref: { protocol: m.protocol, address: m.address },
    route,
    ...(Object.keys(params).length > 0 && { params }),
  };
}

/**
 * Groups pending meters by line (serial: the line key; concentrator: the concentrator) and picks
 * the transport that owns each: for a serial route the first running, tenant-enabled poll
 * transport speaking the meter's protocol, for a concentrator route one speaking the
 * concentrator's protocol. Meters nothing can reach are settled on the spot.
 */
export function planReads(pending: PendingMeter[], transports: PollTransport[]): Plan {
  const plan: Plan = { lines: [], push: [], settled: [] };
  const byKey = new Map<string, LineBatch>();
  for (const m of pending) {
    if (m.via === null) {
      plan.settled.push({ meterId: m.meterId, outcome: 'no_route', detail: 'The meter has no route' });
      continue;
    }
    if (m.via === 'nbiot' || m.via === 'lora') {
      plan.push.push(m);
      continue;
    }
    const viaGateway = m.via === 'concentrator';
    if (viaGateway && m.a1 === null) {
      plan.settled.push({ meterId: m.meterId, outcome: 'no_route', detail: 'The concentrator was removed' });
      continue;
    }
    const speaks = viaGateway ? (m.gatewayProtocol ?? '') : m.protocol;
    const t = transports.find((p) => p.protocols.includes(speaks));
    if (!t) {
      plan.settled.push({
        meterId: m.meterId,
        outcome: 'unsupported',
        detail: `No running poll transport speaks ${speaks}`,
      });
      continue;
    }
    if (viaGateway && m.online === false) {
      plan.settled.push({
        meterId: m.meterId,
        outcome: 'offline',
        detail: 'The concentrator is offline',
        transport: t.id,
      });
      continue;
    }
    const key = `${t.id}|${m.via}|${viaGateway ? m.concentratorId : m.line}`;
    let batch = byKey.get(key);
    if (!batch) {
      const line: LineRef = viaGateway
        ? {
            id: m.concentratorId as string,
            params: {},
            gateway: {
              id: m.concentratorId as string,
              protocol: m.gatewayProtocol as string,
              address: `${m.a1}:${m.a2}`,
              params: { a1: m.a1, a2: m.a2 },
            },
          }
        : {
            id: m.line as string,
            params: {
              key: m.line,
              ...(m.baud !== null && { baudRate: m.baud }),
              ...(m.parity !== null && { parity: PARITY[m.parity] }),
            },
          };
      batch = { transport: t.id, line, meters: [] };
      byKey.set(key, batch);
      plan.lines.push(batch);
    }
    batch.meters.push(target(m));
  }
  return plan;
}

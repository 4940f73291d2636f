import {
  AppError,
  type DownloadResult,
  type GatewayMeterRecord,
  type GatewayRef,
  type MeterTarget,
  type PollTransport,
} from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Registry } from '../../registry/index.ts';
import type { Actor } from '../identity/actor.ts';
import { pollTransports } from '../reading-tasks/plan.ts';
import { type ArchiveMeter, diffTable, type TableDiff } from './concentrator-diff.ts';
import { findConcentrator } from './gateways.ts';

export type Concentrator = Awaited<ReturnType<typeof findConcentrator>>;
type Op = 'readAddresses' | 'downloadAddresses' | 'removeAddresses' | 'setReadingPlan' | 'readReadingPlan';

/** Installed meters routed through the concentrator with a measuring point, in point order. */
export async function archiveOf(tx: Tx, concentratorId: string): Promise<ArchiveMeter[]> {
  const rows = (await tx.execute(sql`
    select r.point_no as point, m.id::text as "meterId", m.asset_no as "assetNo", m.comm_address as address,
      r.port, m.protocol, col.address as collector, r.collector_id is not null as "viaCollector"
    from meter_routes r join meters m on m.id = r.meter_id
    left join collectors col on col.id = r.collector_id
    where r.via = 'concentrator' and r.concentrator_id = ${concentratorId} and r.point_no is not null
      and m.status = 'installed'
    order by r.point_no`)) as unknown as (Omit<ArchiveMeter, 'collector'> & {
    collector: string | null;
    viaCollector: boolean;
  })[];
  return rows.map(({ viaCollector, collector, ...r }) => ({
    ...r,
    // a concentrator holds a collector as 12 BCD digits; one it cannot hold is not compared
    collector: !viaCollector
      ? ''
      : collector && /^\d{1,12}$/.test(collector)
        ? collector.padStart(12, '0')
        : null,
  }));
}

export function gatewayRef(c: Concentrator['c']): GatewayRef {
  return { id: c.id, protocol: c.protocol, address: `${c.a1}-${c.a2}`, params: { a1: c.a1, a2: c.a2 } };
}

/** The first running, tenant-enabled poll transport speaking the concentrator's protocol that can `op`. */
export async function transportFor(
  tx: Tx,
  registry: Registry,
  protocol: string,
  op: Op,
): Promise<PollTransport> {
  const t = (await pollTransports(tx, registry)).find((p) => p.protocols.includes(protocol) && p[op]);
  if (!t)
    throw new AppError(
      'CONTROL_UNSUPPORTED',
      `No running transport can ${op} of a ${protocol} concentrator`,
      {
        protocol,
        operation: op,
      },
    );
  return t;
}

export function contextOf(registry: Registry, t: PollTransport) {
  const ctx = registry.context(t.id);
  if (!ctx)
    throw new AppError('CONTROL_UNSUPPORTED', `Transport ${t.id} is not running`, { transport: t.id });
  return ctx;
}

/** A transport failure as the API answers it: offline 409, anything else from the link 504. */
export function linkError(e: unknown, gateway: string): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: unknown })?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'GATEWAY_OFFLINE')
    return new AppError('GATEWAY_OFFLINE', `Concentrator ${gateway} is not connected`, { gateway });
  return new AppError('GATEWAY_NO_REPLY', `Concentrator ${gateway} did not answer: ${message}`, {
    gateway,
    code: typeof code === 'string' ? code : 'INTERNAL',
  });
}

export interface ArchiveDeps {
  registry: Registry;
  now?: () => Date;
}

export async function activeConcentrator(tx: Tx, actor: Actor, id: string): Promise<Concentrator> {
  const found = await findConcentrator(tx, actor, id);
  if (found.c.status !== 'active')
    throw new AppError('GATEWAY_REMOVED', 'The concentrator was removed', { id });
  return found;
}

async function readTable(tx: Tx, d: ArchiveDeps, c: Concentrator['c']): Promise<GatewayMeterRecord[]> {
  const t = await transportFor(tx, d.registry, c.protocol, 'readAddresses');
  const ref = gatewayRef(c);
  try {
    return (await t.readAddresses?.(ref, contextOf(d.registry, t))) ?? [];
  } catch (e) {
    throw linkError(e, ref.address);
  }
}

/** Reads the concentrator's table back and answers it against the platform archive. */
export async function concentratorDiff(
  tx: Tx,
  d: ArchiveDeps,
  actor: Actor,
  id: string,
): Promise<{ diff: TableDiff; areaPath: string[] }> {
  const { c, path } = await activeConcentrator(tx, actor, id);
  const device = await readTable(tx, d, c);
  return {
    diff: diffTable(await archiveOf(tx, c.id), device, (d.now ?? (() => new Date()))()),
    areaPath: path,
  };
}

export interface DownloadOutcome {
  points: number[];
  removed: number[];
  download: DownloadResult;
  remove: DownloadResult | null;
  diff: TableDiff;
  areaPath: string[];
}

function targetOf(m: ArchiveMeter, c: Concentrator['c']): MeterTarget {
  const params = {
    ...(m.port !== null && { port: m.port }),
    ...(m.collector && { collector: m.collector }),
  };
  return {
    meterId: m.meterId,
    ref: { protocol: m.protocol, address: m.address },
    route: { via: 'concentrator', gateway: { a1: c.a1, a2: c.a2 }, point: m.point },
    ...(Object.keys(params).length > 0 && { params }),
  };
}

/**
 * Pushes archive meters into the concentrator (by default every missing or mismatched point) and,
 * with `removeExtra`, removes the points only the concentrator holds (within `points` when given);
 * then reads the table again for a fresh diff.
 */
export async function downloadArchive(
  tx: Tx,
  d: ArchiveDeps,
  actor: Actor,
  id: string,
  body: { points?: number[]; removeExtra?: boolean },
): Promise<DownloadOutcome> {
  const { c, path } = await activeConcentrator(tx, actor, id);
  const download = await transportFor(tx, d.registry, c.protocol, 'downloadAddresses');
  const held = await archiveOf(tx, c.id);
  const before = diffTable(held, await readTable(tx, d, c), new Date());
  const chosen = body.points ? new Set(body.points) : undefined;
  const wanted = (s: string, point: number) =>
    chosen ? chosen.has(point) : s === 'missing' || s === 'mismatch';
  const archive = new Map(held.map((m) => [m.point, m]));
  const toLoad = before.entries.filter((e) => e.archive && wanted(e.status, e.point)).map((e) => e.point);
  const extras = body.removeExtra
    ? before.entries
        .filter((e) => e.status === 'extra' && (!chosen || chosen.has(e.point)))
        .map((e) => e.point)
    : [];
  const ref = gatewayRef(c);
  const ctx = contextOf(d.registry, download);
  let loaded: DownloadResult = { accepted: 0, rejected: [] };
  let removed: DownloadResult | null = null;
  try {
    if (toLoad.length > 0)
      loaded = (await download.downloadAddresses?.(
        ref,
        toLoad.map((p) => targetOf(archive.get(p) as ArchiveMeter, c)),
        ctx,
      )) ?? { accepted: 0, rejected: [] };
    if (extras.length > 0) {
      const remover = await transportFor(tx, d.registry, c.protocol, 'removeAddresses');
      removed = (await remover.removeAddresses?.(ref, extras, contextOf(d.registry, remover))) ?? null;
    }
  } catch (e) {
    throw linkError(e, ref.address);
  }
  const after = diffTable(held, await readTable(tx, d, c), (d.now ?? (() => new Date()))());
  return { points: toLoad, removed: extras, download: loaded, remove: removed, diff: after, areaPath: path };
}

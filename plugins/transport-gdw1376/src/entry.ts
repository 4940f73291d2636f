import type {
  ControlCommand,
  ControlResult,
  DownloadResult,
  GatewayMeterRecord,
  GatewayReadingPlan,
  GatewayRef,
  HealthResult,
  MeterTarget,
  PluginContext,
  ReadRequest,
  ReadResult,
} from '@quadmeter/sdk';
import type { Gdw1376Config } from './config.ts';
import { controlThrough } from './control.ts';
import { downloadThrough } from './download.ts';
import { LinkError } from './failure.ts';
import { readThrough } from './read.ts';
import { readReadingPlanThrough, setReadingPlanThrough } from './reading-plan.ts';
import { masterOf, masterState } from './runtime.ts';
import { readAddressesThrough, removeThrough } from './table.ts';

type Ctx = PluginContext<Gdw1376Config>;

const notStarted = (): LinkError =>
  new LinkError('GATEWAY_OFFLINE', 'the master station is not running (no port configured?)', true);

export async function* read(request: ReadRequest, ctx: Ctx): AsyncIterable<ReadResult> {
  const master = masterOf(ctx);
  if (!master) {
    for (const m of request.meters) yield { meterId: m.meterId, ok: false, error: notStarted().toFailure() };
    return;
  }
  yield* readThrough(master, request);
}

export async function control(command: ControlCommand, ctx: Ctx): Promise<ControlResult> {
  const master = masterOf(ctx);
  if (!master) return { commandId: command.id, ok: false, error: notStarted().toFailure() };
  return controlThrough(master, command);
}

export async function download(
  gateway: GatewayRef,
  meters: readonly MeterTarget[],
  ctx: Ctx,
): Promise<DownloadResult> {
  const master = masterOf(ctx);
  if (!master)
    return { accepted: 0, rejected: meters.map((m) => ({ meterId: m.meterId, reason: 'GATEWAY_OFFLINE' })) };
  return downloadThrough(master, gateway, meters);
}

/** The concentrator's meter table (AFN 0A F10); throws a LinkError (code GATEWAY_OFFLINE, TIMEOUT …). */
export async function readAddresses(gateway: GatewayRef, ctx: Ctx): Promise<GatewayMeterRecord[]> {
  const master = masterOf(ctx);
  if (!master) throw notStarted();
  return readAddressesThrough(master, gateway);
}

export async function removeAddresses(
  gateway: GatewayRef,
  points: readonly number[],
  ctx: Ctx,
): Promise<DownloadResult> {
  const master = masterOf(ctx);
  if (!master)
    return {
      accepted: 0,
      rejected: points.map((p) => ({ meterId: `point:${p}`, reason: 'GATEWAY_OFFLINE' })),
    };
  return removeThrough(master, gateway, points);
}

export async function setReadingPlan(
  gateway: GatewayRef,
  plans: readonly GatewayReadingPlan[],
  ctx: Ctx,
): Promise<void> {
  const master = masterOf(ctx);
  if (!master) throw notStarted();
  await setReadingPlanThrough(master, gateway, plans);
}

export async function readReadingPlan(
  gateway: GatewayRef,
  ports: readonly number[],
  ctx: Ctx,
): Promise<GatewayReadingPlan[]> {
  const master = masterOf(ctx);
  if (!master) throw notStarted();
  return readReadingPlanThrough(master, gateway, ports);
}

export function health(ctx: Ctx): HealthResult {
  const master = masterOf(ctx);
  const state = masterState(ctx);
  if (state === 'off') return { ok: true, detail: 'off: no port configured (config.port)' };
  if (!master) return { ok: false, detail: 'not started' };
  return {
    ok: true,
    detail: `port ${master.port}: ${master.online} concentrator(s) online, ${master.connections} link(s)`,
  };
}

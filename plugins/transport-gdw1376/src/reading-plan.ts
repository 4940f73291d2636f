import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { GatewayReadingPlan, GatewayRef } from '@quadmeter/sdk';
import { LinkError } from './failure.ts';
import type { MasterStation } from './master.ts';
import { linkOf } from './table.ts';

/**
 * The AFN 04 F33 block of a plan: automatic reading on (control word 0: no broadcast freeze, no
 * time broadcast, no meter search), so the broadcast time is sent as every day 00:00 and unused.
 */
function block(p: GatewayReadingPlan): gdw.PortReadingParams {
  return {
    port: p.port,
    control: 0,
    days: p.days,
    time: p.time,
    intervalMinutes: p.intervalMinutes,
    broadcast: { day: 0, time: '00:00' },
    segments: p.segments,
  };
}

const plan = (b: gdw.PortReadingParams): GatewayReadingPlan => ({
  port: b.port,
  days: b.days,
  time: b.time,
  intervalMinutes: b.intervalMinutes,
  segments: b.segments,
});

/** Sets the terminal's reading parameters of the plans' ports (AFN 04 F33); DENIED when refused. */
export async function setReadingPlanThrough(
  master: MasterStation,
  gateway: GatewayRef,
  plans: readonly GatewayReadingPlan[],
): Promise<void> {
  if (plans.length === 0) return;
  const link = linkOf(master, gateway);
  let bytes: (seq: number) => Uint8Array;
  try {
    const blocks = plans.map(block);
    gdw.buildReadingParamsDownload(link.addr, blocks, 0, master.config.password); // validates
    bytes = (seq) => gdw.buildReadingParamsDownload(link.addr, blocks, seq, master.config.password);
  } catch (e) {
    throw new LinkError('PLAN_INVALID', e instanceof Error ? e.message : String(e), false);
  }
  const [f] = await link.session.exchange(bytes, { afn: '00', timeoutMs: master.config.requestTimeoutMs });
  if (!f.units.some((u) => u.fn === 1))
    throw new LinkError('DENIED', `${link.key} refused the reading parameters`, false);
}

/** The terminal's reading parameters of `ports` (AFN 0A F33); ports it holds none for are left out. */
export async function readReadingPlanThrough(
  master: MasterStation,
  gateway: GatewayRef,
  ports: readonly number[],
): Promise<GatewayReadingPlan[]> {
  const link = linkOf(master, gateway);
  const wanted = [...new Set(ports)].filter((p) => Number.isInteger(p) && p >= 1 && p <= 31);
  if (wanted.length === 0) return [];
  const frames = await link.session.exchange((seq) => gdw.buildReadingParamsQuery(link.addr, wanted, seq), {
    afn: '0A',
    timeoutMs: master.config.requestTimeoutMs,
  });
  if (frames[0].afn === '00') return [];
  const unit = gdw.assembleMultiFrame(frames).units.find((u) => u.fn === 33);
  const blocks = (unit?.data as { ports?: gdw.PortReadingParams[] } | undefined)?.ports;
  if (!blocks) throw new LinkError('BAD_REPLY', `AFN 0A F33 reply from ${link.key} did not decode`, true);
  return blocks.filter((b) => wanted.includes(b.port)).map(plan);
}

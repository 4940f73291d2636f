import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { DownloadResult, GatewayRef, MeterTarget } from '@quadmeter/sdk';
import { asFailure } from './failure.ts';
import { gatewayAddress, gatewayKey, meterPoint, meterPort } from './gateway.ts';
import type { MasterStation } from './master.ts';

/** Records per AFN 04 F10 frame (27 bytes each). */
const PER_FRAME = 20;
const PROTOCOL: Record<string, number> = { 'dlt645-2007': 30, 'dlt645-1997': 1 };

/** The collector a meter hangs behind (`params.collector`, up to 12 digits), else none. */
function collectorOf(m: MeterTarget): string {
  const c = m.params?.collector;
  return typeof c === 'string' && /^\d{1,12}$/.test(c) ? c.padStart(12, '0') : '000000000000';
}

function record(m: MeterTarget, pn: number, port: number): Partial<gdw.MeterConfig> {
  return {
    serial: pn,
    pn,
    baud: 0,
    port,
    protocol: PROTOCOL[m.ref.protocol] ?? 30,
    address: m.ref.address,
    password: '000000000000',
    tariffCount: 4,
    integerDigits: 6,
    decimalDigits: 2,
    collector: collectorOf(m),
    userClass: 0,
    userSubClass: 0,
  };
}

/**
 * Loads the meter archive into a concentrator (AFN 04 F10, serial number = measuring point),
 * in frames of 20 records; each frame's AFN 00 answer decides for its meters.
 */
export async function downloadThrough(
  master: MasterStation,
  gateway: GatewayRef,
  meters: readonly MeterTarget[],
): Promise<DownloadResult> {
  const result: DownloadResult = { accepted: 0, rejected: [] };
  const gw = gatewayAddress(gateway);
  const session = gw && master.session(gw);
  const rows: { m: MeterTarget; rec: Partial<gdw.MeterConfig> }[] = [];
  for (const m of meters) {
    const pn = meterPoint(m);
    const ok = pn !== undefined && /^\d{1,12}$/.test(m.ref.address);
    if (!session) result.rejected.push({ meterId: m.meterId, reason: 'GATEWAY_OFFLINE' });
    else if (!ok) result.rejected.push({ meterId: m.meterId, reason: 'ROUTE_INVALID' });
    else rows.push({ m, rec: record(m, pn, meterPort(m) ?? master.config.forwardPort) });
  }
  if (!session || !gw) return result;
  const c = master.config;
  const addr = { A1_region: gw.a1, A2_terminal: gw.a2, A3_master: c.msa };
  for (let i = 0; i < rows.length; i += PER_FRAME) {
    const part = rows.slice(i, i + PER_FRAME);
    let reason: string | undefined;
    try {
      const frames = await session.exchange(
        (seq) =>
          gdw.buildMeterConfigDownload(
            addr,
            part.map((r) => r.rec),
            seq,
            c.password,
          ),
        { afn: '00', timeoutMs: c.requestTimeoutMs },
      );
      const f = frames[0];
      const f3 = f.units.find((u) => u.fn === 3)?.data as { items?: { err: number }[] } | undefined;
      const confirmed = f.units.some((u) => u.fn === 1) || (f3?.items ?? []).every((x) => x.err === 0);
      if (!confirmed || f.units.some((u) => u.fn === 2)) reason = 'DENIED';
    } catch (e) {
      reason = asFailure(e).code;
    }
    if (reason) for (const r of part) result.rejected.push({ meterId: r.m.meterId, reason });
    else result.accepted += part.length;
  }
  master.logger.info(
    { gateway: gatewayKey(gw), ...result, rejected: result.rejected.length },
    'meter archive downloaded',
  );
  return result;
}

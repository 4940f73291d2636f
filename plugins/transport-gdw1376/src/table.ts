import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { DownloadResult, GatewayMeterRecord, GatewayRef } from '@quadmeter/sdk';
import { asFailure, LinkError, offline } from './failure.ts';
import { gatewayAddress, gatewayKey } from './gateway.ts';
import type { MasterStation } from './master.ts';
import type { Session } from './session.ts';

/** Serial numbers asked for in one AFN 0A F10 query (a reply of 64 × 27 bytes fits one frame). */
export const SERIALS_PER_QUERY = 64;
/** Records per AFN 04 F10 frame, as the download sends them. */
const RECORDS_PER_FRAME = 20;
/** Serial numbers a terminal can hold (Q/GDW 1376.1: 1..2040). */
const MAX_SERIAL = 2040;

const PROTOCOL_NAMES: Record<number, string> = { 30: 'dlt645-2007', 1: 'dlt645-1997' };
const NO_COLLECTOR = /^0{12}$/;

/** A record as the SDK names it: codec names for the protocols we know, '' for "no collector". */
export function toRecord(m: gdw.MeterConfig): GatewayMeterRecord {
  return {
    point: m.pn,
    port: m.port,
    protocol: PROTOCOL_NAMES[m.protocol] ?? String(m.protocol),
    address: m.address,
    collector: NO_COLLECTOR.test(m.collector) ? '' : m.collector,
  };
}

export interface Link {
  session: Session;
  addr: { A1_region: string; A2_terminal: number; A3_master: number };
  key: string;
}

export function linkOf(master: MasterStation, gateway: GatewayRef): Link {
  const gw = gatewayAddress(gateway);
  if (!gw) throw new LinkError('ROUTE_INVALID', `gateway address "${gateway.address}" is not A1-A2`, false);
  const session = master.session(gw);
  if (!session) throw offline(gatewayKey(gw));
  return {
    session,
    addr: { A1_region: gw.a1, A2_terminal: gw.a2, A3_master: master.config.msa },
    key: gatewayKey(gw),
  };
}

/** How many serial numbers to sweep: the gateway's `params.tableSize` when it names one, else all 2040. */
function tableSize(gateway: GatewayRef): number {
  const n = gateway.params?.tableSize;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_SERIAL ? n : MAX_SERIAL;
}

/**
 * The terminal's meter configuration records (AFN 0A F10), serial numbers 1..tableSize in queries
 * of 64. A terminal answers only the serials it holds; a record with measuring point 0 (deleted)
 * is skipped. A chunk the terminal denies counts as holding none (some terminals deny a query
 * for serials they do not hold).
 */
export async function readConfig(master: MasterStation, gateway: GatewayRef): Promise<gdw.MeterConfig[]> {
  const link = linkOf(master, gateway);
  const size = tableSize(gateway);
  const out: gdw.MeterConfig[] = [];
  for (let first = 1; first <= size; first += SERIALS_PER_QUERY) {
    const serials: number[] = [];
    for (let s = first; s < first + SERIALS_PER_QUERY && s <= size; s++) serials.push(s);
    const frames = await link.session.exchange((seq) => gdw.buildMeterConfigQuery(link.addr, serials, seq), {
      afn: '0A',
      timeoutMs: master.config.requestTimeoutMs,
    });
    if (frames[0].afn === '00') continue;
    const units = gdw.assembleMultiFrame(frames).units;
    const wanted = new Set(serials);
    for (const u of units) {
      const meters = u.fn === 10 ? (u.data as { meters?: gdw.MeterConfig[] } | undefined)?.meters : undefined;
      if (u.fn === 10 && !meters)
        throw new LinkError('BAD_REPLY', `AFN 0A F10 reply from ${link.key} did not decode`, true);
      for (const m of meters ?? []) if (m.pn !== 0 && wanted.has(m.serial)) out.push(m);
    }
  }
  return out.sort((a, b) => a.pn - b.pn || a.serial - b.serial);
}

/** readAddresses: the table as GatewayMeterRecord[] (throws LinkError with a stable code). */
export async function readAddressesThrough(
  master: MasterStation,
  gateway: GatewayRef,
): Promise<GatewayMeterRecord[]> {
  const records = await readConfig(master, gateway);
  return records.filter((r) => r.protocol !== 0).map(toRecord);
}

/** A record that deletes its serial number: measuring point 0 (the terminal then drops the serial). */
const deletion = (serial: number): Partial<gdw.MeterConfig> => ({
  serial,
  pn: 0,
  baud: 0,
  port: 0,
  protocol: 0,
  address: '000000000000',
  collector: '000000000000',
});

/**
 * Removes measuring points from the terminal's table: reads the table to find every serial number
 * that feeds one of `points`, then sends AFN 04 F10 records with measuring point 0 for them (how
 * terminals delete a serial, decision 0017). A point the table does not hold counts as removed.
 * Rejections name the point as `point:<n>`.
 */
export async function removeThrough(
  master: MasterStation,
  gateway: GatewayRef,
  points: readonly number[],
): Promise<DownloadResult> {
  const result: DownloadResult = { accepted: 0, rejected: [] };
  const wanted = [...new Set(points)];
  let table: gdw.MeterConfig[];
  try {
    table = await readConfig(master, gateway);
  } catch (e) {
    const reason = asFailure(e).code;
    return { accepted: 0, rejected: wanted.map((p) => ({ meterId: `point:${p}`, reason })) };
  }
  const link = linkOf(master, gateway);
  const bySerial = table.filter((r) => wanted.includes(r.pn));
  const failed = new Map<number, string>();
  for (let i = 0; i < bySerial.length; i += RECORDS_PER_FRAME) {
    const part = bySerial.slice(i, i + RECORDS_PER_FRAME);
    let reason: string | undefined;
    try {
      const [f] = await link.session.exchange(
        (seq) =>
          gdw.buildMeterConfigDownload(
            link.addr,
            part.map((r) => deletion(r.serial)),
            seq,
            master.config.password,
          ),
        { afn: '00', timeoutMs: master.config.requestTimeoutMs },
      );
      if (!f.units.some((u) => u.fn === 1)) reason = 'DENIED';
    } catch (e) {
      reason = asFailure(e).code;
    }
    if (reason) for (const r of part) failed.set(r.pn, reason);
  }
  for (const p of wanted) {
    const reason = failed.get(p);
    if (reason) result.rejected.push({ meterId: `point:${p}`, reason });
    else result.accepted++;
  }
  master.logger.info(
    { gateway: link.key, ...result, rejected: result.rejected.length },
    'points removed from the meter table',
  );
  return result;
}

import type { MbusFrame } from '@quadmeter/protocols/mbus/index.ts';
import * as mbus from '@quadmeter/protocols/mbus/index.ts';
import {
  type ByteLink,
  type ExchangeStats,
  type FrameExchange,
  hasBadSum,
  type SerialLineParams,
  TransportError,
  transact,
} from '@quadmeter/sdk/serial';
import type { MbusAddress } from './address.ts';

const NETWORK_LAYER = 0xfd;
const ACK = 0xe5;

export interface Wire {
  link: ByteLink;
  line: SerialLineParams;
  signal: AbortSignal;
  latencyMs: number;
  stats?: ExchangeStats;
}

/** FCB per meter: it alternates between successive REQ_UD2 (a retry repeats it). */
const fcbs = new Map<string, boolean>();

function nextFcb(key: string): boolean {
  const fcb = !(fcbs.get(key) ?? false);
  fcbs.set(key, fcb);
  return fcb;
}

/** Long frame 68 L L 68 … CS 16, checksum from C. */
export function mbusBadSum(bytes: Uint8Array): boolean {
  return hasBadSum(bytes, (b, i) =>
    b[i] === 0x68 && b[i + 3] === 0x68 && i + 2 < b.length && b[i + 1] === b[i + 2]
      ? { sumFrom: i + 4, end: i + 6 + b[i + 1] }
      : null,
  );
}

function tryDecode(frame: Uint8Array): MbusFrame | undefined {
  try {
    return mbus.decode(frame);
  } catch {
    return undefined;
  }
}

function exchange(w: Wire, request: Uint8Array, replyBytes: number, accepts: (f: Uint8Array) => boolean) {
  const ex: FrameExchange = {
    request,
    replyBytes,
    latencyMs: w.latencyMs,
    splitter: () => mbus.extractor(),
    accepts,
    badChecksum: mbusBadSum,
  };
  return transact(w.link, w.line, ex, w.signal, w.stats);
}

type Secondary = Extract<MbusAddress, { kind: 'secondary' }>;

/** Selects a meter by secondary address (CI 52); it answers E5. */
export async function select(w: Wire, s: Secondary): Promise<void> {
  const frame = mbus.buildSelectSecondary({
    id: s.id,
    manufacturer: s.manufacturer ?? null,
    version: s.version ?? null,
    medium: s.medium ?? null,
  });
  await exchange(w, frame, 1, (f) => f.length === 1 && f[0] === ACK);
}

/** The reply's header is the meter selected (fields the address left open match anything). */
function isSelected(h: NonNullable<MbusFrame['header']>, s: Secondary): boolean {
  return (
    h.id === s.id &&
    (s.manufacturer === undefined || h.manufacturer === s.manufacturer) &&
    (s.version === undefined || h.version === s.version) &&
    (s.medium === undefined || h.medium === s.medium)
  );
}

/**
 * REQ_UD2 to the meter (its primary address, or FD after a select) and its RSP_UD, which must
 * come from the address asked (primary) or carry the identification selected (secondary).
 */
export async function requestData(w: Wire, address: MbusAddress): Promise<MbusFrame> {
  if (address.kind === 'secondary') await select(w, address);
  const a = address.kind === 'primary' ? address.a : NETWORK_LAYER;
  const who = address.kind === 'primary' ? String(address.a) : address.id;
  const request = mbus.buildReqUd2(a, nextFcb(`${w.line.key}#${who}`));
  const frame = await exchange(w, request, 255, (bytes) => {
    const f = tryDecode(bytes);
    if (f?.kind !== 'long' || f.direction !== 'slave' || !f.header) return false;
    return address.kind === 'primary' ? f.a === address.a : isSelected(f.header, address);
  });
  const f = mbus.decode(frame);
  if (!f.records) throw new TransportError('DECODE_FAILED', `RSP_UD with CI ${f.ci} carries no records`);
  return f;
}

/**
 * SND_UD (CI 51) with data records to the meter (its primary address, or FD after a select); the
 * meter acknowledges with E5. An E5 is a link-layer acknowledgement: it does not say the meter
 * applied the records.
 */
export async function sendData(w: Wire, address: MbusAddress, records: mbus.RecordsInput): Promise<void> {
  if (address.kind === 'secondary') await select(w, address);
  const a = address.kind === 'primary' ? address.a : NETWORK_LAYER;
  const who = address.kind === 'primary' ? String(address.a) : address.id;
  const request = mbus.buildSndUd(a, records, nextFcb(`${w.line.key}#${who}`));
  await exchange(w, request, 1, (f) => f.length === 1 && f[0] === ACK);
}

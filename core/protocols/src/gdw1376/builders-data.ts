import { bytesToHex, hexToBytes } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { type AddressInput, fullAddress } from './builders-link.ts';
import type { MeterConfig } from './fn-afn04.ts';
import { DLT645_SERIAL, type FrameTimeout, type SerialSettings } from './fn-afn10.ts';
import type { PortReadingParams } from './fn-f33.ts';
import { type Forwarded, forwarded, loadDlt645 } from './forward-dlt645.ts';
import { afnCode, decodeFrame, encodeFrame } from './frame.ts';
import { encodeSplit } from './multi-frame.ts';
import type { DataItem, EventCounters, GdwFrame, GdwFrameInput, TimeLabel } from './types.ts';

/** Master-initiated downlink frame (PRM = 1). Reads of 09..0E use function 11, the rest 10. */
function masterFrame(
  addr: AddressInput,
  afn: number,
  units: DataItem[],
  seq: number,
  opts: { con: boolean; pw?: string; tp?: TimeLabel },
): Uint8Array {
  const input: GdwFrameInput = {
    dir: 'down',
    prm: true,
    functionCode: afn >= 0x09 && afn <= 0x0e ? 11 : 10,
    address: fullAddress(addr),
    afn,
    seq: { tpv: opts.tp !== undefined, fir: true, fin: true, con: opts.con, pseq: seq },
    units,
  };
  if (opts.pw !== undefined || opts.tp !== undefined) input.aux = { pw: opts.pw, tp: opts.tp };
  return encodeFrame(input);
}

export interface ReadItem {
  pn: number | 'all';
  fn: number;
  /** request data where the Fn has some, e.g. { date: '2024-03-01' } for AFN 0D F161 */
  data?: unknown;
}

/** Master read request (AFN 0C class 1 / 0D class 2 …); items are packed into the fewest data units. */
export function buildRead(
  addr: AddressInput,
  afn: string | number,
  items: readonly ReadItem[],
  seq: number,
): Uint8Array {
  return masterFrame(
    addr,
    afnCode(afn),
    items.map((i) => ({ ...i })),
    seq,
    { con: false },
  );
}

export interface ReplyOptions {
  /** split into a multi-frame reply above this user-data length (default 16383) */
  maxUserData?: number;
  /** sets ACD and appends the event counters */
  ec?: EventCounters;
  /** sets TpV and appends the time label (echo of the request's) */
  tp?: TimeLabel;
}

/**
 * Terminal reply with typed data (C = 88, or A8 with ACD). Returns one frame, or several
 * (FIR/FIN, RSEQ counting up from `seq`) when the data does not fit `maxUserData`.
 */
export function buildReadReply(
  addr: AddressInput,
  afn: string | number,
  units: readonly DataItem[],
  seq: number,
  opts: ReplyOptions = {},
): Uint8Array[] {
  const base: GdwFrameInput = {
    dir: 'up',
    prm: false,
    acd: opts.ec !== undefined,
    functionCode: 8,
    address: fullAddress(addr),
    afn: afnCode(afn),
    seq: { tpv: opts.tp !== undefined, fir: true, fin: true, con: false, pseq: seq },
  };
  if (opts.ec !== undefined || opts.tp !== undefined) base.aux = { ec: opts.ec, tp: opts.tp };
  return encodeSplit(base, units, opts.maxUserData);
}

/** AFN 04 F10: download the meter/measuring-point configuration (CON = 1, PW appended). */
export function buildMeterConfigDownload(
  addr: AddressInput,
  meters: readonly Partial<MeterConfig>[],
  seq: number,
  pw?: string,
): Uint8Array {
  return masterFrame(addr, 0x04, [{ pn: 0, fn: 10, data: { meters } }], seq, { con: true, pw });
}

/** AFN 0A F10: ask the terminal for the configuration records with these serial numbers. */
export function buildMeterConfigQuery(
  addr: AddressInput,
  serials: readonly number[],
  seq: number,
): Uint8Array {
  return masterFrame(addr, 0x0a, [{ pn: 0, fn: 10, data: { serials } }], seq, { con: false });
}

/** AFN 04 F33: set the terminal's reading parameters per port (CON = 1, PW appended). */
export function buildReadingParamsDownload(
  addr: AddressInput,
  ports: readonly Partial<PortReadingParams>[],
  seq: number,
  pw?: string,
): Uint8Array {
  return masterFrame(addr, 0x04, [{ pn: 0, fn: 33, data: { ports } }], seq, { con: true, pw });
}

/** AFN 0A F33: ask for the reading parameters of these terminal ports. */
export function buildReadingParamsQuery(
  addr: AddressInput,
  ports: readonly number[],
  seq: number,
): Uint8Array {
  return masterFrame(addr, 0x0a, [{ pn: 0, fn: 33, data: { ports } }], seq, { con: false });
}

/**
 * AFN 05 control: F1 remote trip ({ powerCutHalfHours, alarmDelayMinutes }), F2 allow close,
 * F25 keep power on ({ durationHalfHours }), F31 clock sync ({ clock }), F33 cancel keep power, …
 * pn is the control round for F1/F2 and 0 for the terminal-wide commands.
 */
export function buildControl(
  addr: AddressInput,
  fn: number,
  pn: number,
  seq: number,
  data?: unknown,
  opts: { pw?: string; tp?: TimeLabel } = {},
): Uint8Array {
  const unit: DataItem = data === undefined ? { pn, fn } : { pn, fn, data };
  return masterFrame(addr, 0x05, [unit], seq, { con: true, ...opts });
}

export interface ForwardOptions {
  /** serial settings towards the meter; default 2400 8E1 (DL/T 645) */
  serial?: SerialSettings;
  /** how long the terminal waits for the meter's reply; default 2 s */
  frameTimeout?: FrameTimeout;
  /** gap that ends the meter's reply, in 10 ms; default 10 (100 ms) */
  byteTimeout_10ms?: number;
  pw?: string;
}

/** AFN 10 F1: forward DL/T 645 bytes to the meter on `port` (p0, PW appended). */
export function buildForward(
  addr: AddressInput,
  port: number,
  dlt645Bytes: Uint8Array,
  seq: number,
  opts: ForwardOptions = {},
): Uint8Array {
  const data = {
    port,
    serial: opts.serial ?? DLT645_SERIAL,
    frameTimeout: opts.frameTimeout ?? { value: 2, unit: 's' },
    byteTimeout_10ms: opts.byteTimeout_10ms ?? 10,
    forwarded: { hex: bytesToHex(dlt645Bytes) },
  };
  return masterFrame(addr, 0x10, [{ pn: 0, fn: 1, data }], seq, { con: false, pw: opts.pw });
}

/** The terminal's AFN 10 F1 answer carrying the meter's reply bytes (empty: no answer). */
export function buildForwardReply(
  addr: AddressInput,
  port: number,
  meterBytes: Uint8Array,
  seq: number,
): Uint8Array {
  const data = { port, forwarded: { hex: bytesToHex(meterBytes) } };
  return buildReadReply(addr, 0x10, [{ pn: 0, fn: 1, data }], seq)[0];
}

export interface ForwardContent extends Forwarded {
  dir: 'up' | 'down';
  port: number;
}

/**
 * The DL/T 645 content of an AFN 10 F1 frame, decoded with the DL/T 645 codec (loaded now if it
 * was not available before). Throws FRAME_FUNCTION_UNKNOWN for any other frame.
 */
export async function decodeForward(frame: Uint8Array | GdwFrame): Promise<ForwardContent> {
  const f = frame instanceof Uint8Array ? decodeFrame(frame) : frame;
  const unit = f.afn === '10' ? f.units.find((u) => u.fn === 1) : undefined;
  const data = unit?.data as { port: number; forwarded: Forwarded } | undefined;
  if (!data) return fail('FRAME_FUNCTION_UNKNOWN', 'not an AFN 10 F1 forwarding frame');
  await loadDlt645();
  const hex = data.forwarded.hex;
  return { dir: f.dir, port: data.port, ...forwarded(hex === '' ? new Uint8Array(0) : hexToBytes(hex)) };
}

import { bytesToHex, concat, readUintLE, sum8 } from '../common/bytes.ts';
import { fail, ProtocolError } from '../common/errors.ts';
import { afnHex, findAfn } from './afn.ts';
import { type AuxRule, auxSize, decodeAux, encodeAux } from './aux.ts';
import { decodeUnits, encodeUnits } from './data-units.ts';
import { buildAddress, buildControl, buildSeq, parseAddress, parseControl, parseSeq } from './header.ts';
import type { GdwFrame } from './types.ts';
import { asArray, asHex, asObject } from './validate.ts';

/**
 * 68 L L 68 | C A(5) AFN SEQ data-units [AUX] | CS 16
 * L (2 bytes LE, sent twice) = user-data length << 2 | protocol id; CS = sum of the user data.
 */
export const START = 0x68;
export const END = 0x16;
/** C, A (5), AFN, SEQ. */
export const MIN_USER_DATA = 8;
/** L has 14 bits of length. */
export const MAX_USER_DATA = 0x3fff;

export function decodeFrame(b: Uint8Array): GdwFrame {
  if (b.length > 0 && b[0] !== START) fail('FRAME_START_INVALID', 'frame does not start with 68', 0);
  if (b.length < 6) fail('FRAME_TRUNCATED', `${b.length} byte(s) cannot hold the frame header`, b.length);
  if (b[5] !== START) fail('FRAME_START_INVALID', 'second start byte 68 missing', 5);
  const l1 = readUintLE(b, 1, 2);
  if (l1 !== readUintLE(b, 3, 2)) fail('FRAME_LENGTH_INVALID', 'the two L fields differ', 3);
  const protocolId = l1 & 3;
  if (protocolId !== 1 && protocolId !== 2)
    fail('FRAME_LENGTH_INVALID', `L protocol id ${protocolId} is not 1 or 2`, 1);
  const len = l1 >> 2;
  if (len < MIN_USER_DATA) fail('FRAME_LENGTH_INVALID', `user data of ${len} byte(s) is shorter than 8`, 1);
  const total = 6 + len + 2;
  if (b.length < total) fail('FRAME_TRUNCATED', `L says ${total} bytes, frame has ${b.length}`, b.length);
  if (b.length > total) fail('FRAME_LENGTH_INVALID', `L says ${total} bytes, frame has ${b.length}`, total);
  if (b[total - 1] !== END) fail('FRAME_END_INVALID', 'frame does not end with 16', total - 1);
  const cs = sum8(b, 6, 6 + len);
  if (cs !== b[6 + len]) {
    fail('FRAME_CHECKSUM_INVALID', `checksum ${hex(b[6 + len])}, computed ${hex(cs)}`, 6 + len);
  }
  const control = parseControl(b[6]);
  const afn = b[12];
  // an AFN this codec does not know still has a header worth reading; its data stays hex
  const afnDef = findAfn(afn);
  const seq = parseSeq(b[13]);
  const rule: AuxRule = {
    dir: control.dir,
    afnPw: afnDef?.pw ?? false,
    acd: control.acd,
    tpv: seq.tpv,
    protocolId,
  };
  const dataEnd = 6 + len - auxSize(rule);
  if (dataEnd < 14) fail('FRAME_TRUNCATED', 'user data too short for its auxiliary information', 14);
  const aux = decodeAux(b, dataEnd, rule);
  const address = parseAddress(b, 7);
  const area = afnDef
    ? { units: decodeUnits(b, 14, dataEnd, afn, control.dir) }
    : unknownAfnArea(b, dataEnd, afn, control.dir);
  const frame: GdwFrame = {
    protocol: 'gdw1376',
    l: len,
    protocolId,
    c: hex(b[6]),
    ...control,
    address,
    // A2 = FFFF with the group flag: every terminal (broadcast)
    ...(address.group && address.A2_terminal === 0xffff ? { broadcast: true as const } : {}),
    afn: afnHex(afn),
    afnName: afnDef?.name ?? 'unknown',
    seq,
    ...area,
    ...(aux ? { aux } : {}),
    cs: hex(cs),
  };
  return frame;
}

/** Data units of an unknown AFN: split by DA/DT when they parse (every Fn raw), else the area as hex. */
function unknownAfnArea(
  b: Uint8Array,
  end: number,
  afn: number,
  dir: 'up' | 'down',
): { units: GdwFrame['units']; raw?: string } {
  try {
    return { units: decodeUnits(b, 14, end, afn, dir) };
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return { units: [], raw: bytesToHex(b.subarray(14, end)) };
  }
}

function hex(n: number): string {
  return bytesToHex(Uint8Array.of(n));
}

/** AFN as a number from a number or a hex string ('0C'). */
export function afnCode(v: unknown): number {
  const n = typeof v === 'string' && /^[0-9A-Fa-f]{1,2}$/.test(v) ? Number.parseInt(v, 16) : v;
  if (typeof n !== 'number' || !findAfn(n)) fail('ENCODE_INPUT_INVALID', `AFN ${String(v)} is not defined`);
  return n;
}

/** Any AFN byte (a decoded frame of an AFN this codec does not know re-encodes too). */
function anyAfnCode(v: unknown): number {
  const n = typeof v === 'string' && /^[0-9A-Fa-f]{1,2}$/.test(v) ? Number.parseInt(v, 16) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 255)
    fail('ENCODE_INPUT_INVALID', `AFN ${String(v)} is not a byte`);
  return n;
}

/** Builds a frame from the decoded shape (derived fields such as l, c, names and cs are ignored). */
export function encodeFrame(input: unknown): Uint8Array {
  const o = asObject(input, 'frame');
  const protocolId = o.protocolId ?? 2;
  if (protocolId !== 1 && protocolId !== 2) fail('ENCODE_INPUT_INVALID', 'protocolId must be 1 or 2');
  const c = buildControl(o);
  const control = parseControl(c);
  const afn = anyAfnCode(o.afn);
  const seq = buildSeq(o.seq);
  const rule: AuxRule = {
    dir: control.dir,
    afnPw: findAfn(afn)?.pw ?? false,
    acd: control.acd,
    tpv: (seq & 0x80) !== 0,
    protocolId,
  };
  const user = concat([
    Uint8Array.of(c),
    buildAddress(o.address),
    Uint8Array.of(afn, seq),
    o.raw !== undefined
      ? asHex(o.raw, 'raw')
      : encodeUnits(asArray(o.units ?? [], 'units'), afn, control.dir),
    encodeAux(o.aux, rule),
  ]);
  if (user.length > MAX_USER_DATA)
    fail('ENCODE_INPUT_INVALID', `user data of ${user.length} bytes exceeds 16383`);
  const l = (user.length << 2) | protocolId;
  const head = Uint8Array.of(START, l & 0xff, l >> 8, l & 0xff, l >> 8, START);
  return concat([head, user, Uint8Array.of(sum8(user), END)]);
}

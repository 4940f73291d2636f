import { concat, sum8 } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import type { Probe } from '../common/extractor.ts';
import { functionNames } from './tables.ts';

/**
 * CJ/T 188-2004 link frame:
 *   [FE ×n] 68 T A0..A6 C L DI0 DI1 SER DATA… CS 16
 * L counts DI0 through the last data byte; CS is the byte sum from 68 through the last data byte.
 */
export const START = 0x68;
export const END = 0x16;
export const PREAMBLE = 0xfe;
/** 68 T A0..A6 C L */
export const HEADER_LEN = 11;
/** header + CS + 16 */
export const OVERHEAD = 13;

export interface RawFrame {
  preamble: number;
  meterType: number;
  /** A0..A6 as sent (A0 first) */
  address: Uint8Array;
  control: number;
  /** DI0 DI1 SER DATA… (L bytes) */
  payload: Uint8Array;
  checksum: number;
}

/** Known function with D6 (abnormal) only on replies. */
export function isValidControl(c: number): boolean {
  if (functionNames[c & 0x3f] === undefined) return false;
  return (c & 0x40) === 0 || (c & 0x80) !== 0;
}

/** Splits and checks a complete frame; throws ProtocolError on any framing fault. */
export function parseRawFrame(bytes: Uint8Array): RawFrame {
  if (bytes.length === 0) fail('FRAME_EMPTY', 'no bytes given');
  let p = 0;
  while (p < bytes.length && bytes[p] === PREAMBLE) p++;
  if (p === bytes.length) fail('FRAME_TRUNCATED', 'only FE preamble bytes', p);
  if (bytes[p] !== START) fail('FRAME_START_INVALID', `expected 68 at offset ${p}`, p);
  if (bytes.length - p < HEADER_LEN)
    fail('FRAME_TRUNCATED', `header needs ${HEADER_LEN} bytes from offset ${p}`, p);
  const len = bytes[p + 10];
  if (len < 3) fail('FRAME_LENGTH_INVALID', `L=${len} is shorter than DI0 DI1 SER`, p + 10);
  const total = OVERHEAD + len;
  if (bytes.length - p < total) {
    fail(
      'FRAME_TRUNCATED',
      `L=${len} needs ${total} bytes from offset ${p}, have ${bytes.length - p}`,
      bytes.length,
    );
  }
  const end = p + total - 1;
  if (bytes[end] !== END) {
    const code = bytes[bytes.length - 1] === END ? 'FRAME_LENGTH_INVALID' : 'FRAME_END_INVALID';
    fail(code, `expected 16 at offset ${end} (L=${len})`, end);
  }
  if (end !== bytes.length - 1)
    fail('FRAME_TRAILING_BYTES', `${bytes.length - 1 - end} byte(s) after the end mark`, end + 1);
  const cs = sum8(bytes, p, end - 1);
  if (cs !== bytes[end - 1]) {
    fail('FRAME_CHECKSUM_INVALID', `checksum ${hex2(bytes[end - 1])} but bytes sum to ${hex2(cs)}`, end - 1);
  }
  const control = bytes[p + 9];
  if (!isValidControl(control))
    fail('FRAME_CONTROL_UNKNOWN', `control code ${hex2(control)} is not a CJ/T 188 function`, p + 9);
  return {
    preamble: p,
    meterType: bytes[p + 1],
    address: bytes.slice(p + 2, p + 9),
    control,
    payload: bytes.slice(p + 11, end - 1),
    checksum: cs,
  };
}

export function buildRawFrame(f: Omit<RawFrame, 'checksum'>): Uint8Array {
  if (f.payload.length < 3 || f.payload.length > 255) {
    fail('ENCODE_INPUT_INVALID', `DI, SER and data must be 3..255 bytes, got ${f.payload.length}`);
  }
  const body = concat([
    Uint8Array.of(START, f.meterType),
    f.address,
    Uint8Array.of(f.control, f.payload.length),
    f.payload,
  ]);
  return concat([new Uint8Array(f.preamble).fill(PREAMBLE), body, Uint8Array.of(sum8(body), END)]);
}

/**
 * Stream probe: a frame starts at 68 with a known control code, its L-derived end mark and a
 * matching checksum. FE preambles and line noise are reported as `no-frame` and skipped.
 */
export function probe(buf: Uint8Array, i: number): Probe {
  if (buf[i] !== START) return { kind: 'no-frame' };
  if (buf.length - i < HEADER_LEN) return { kind: 'need-more' };
  if (!isValidControl(buf[i + 9]) || buf[i + 10] < 3) return { kind: 'no-frame' };
  const total = OVERHEAD + buf[i + 10];
  if (buf.length - i < total) return { kind: 'need-more' };
  if (buf[i + total - 1] !== END || sum8(buf, i, i + total - 2) !== buf[i + total - 2])
    return { kind: 'no-frame' };
  return { kind: 'frame', length: total };
}

export function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

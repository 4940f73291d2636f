import { concat, fail, sum8 } from '../common/index.ts';
import type { FrameKind, MbusFrame } from './types.ts';

/** EN 13757-2 (FT1.2) link layer: single character, short, control and long frames. */

export const ACK = 0xe5;
export const START_SHORT = 0x10;
export const START_LONG = 0x68;
export const STOP = 0x16;

/** Function codes in C-field bits 0-3 with the PRM bit (0x40) set: master to slave. */
const MASTER_FUNCTIONS = new Map<number, string>([
  [0x00, 'SND_NKE'],
  [0x03, 'SND_UD'],
  [0x04, 'SND_UD2'],
  [0x09, 'REQ_SKE'],
  [0x0a, 'REQ_UD1'],
  [0x0b, 'REQ_UD2'],
]);

/** PRM bit clear: slave to master. */
const SLAVE_FUNCTIONS = new Map<number, string>([
  [0x00, 'ACK'],
  [0x01, 'NACK'],
  [0x08, 'RSP_UD'],
  [0x09, 'RSP_NACK'],
  [0x0b, 'RSP_SKE'],
]);

export interface CField {
  c: number;
  cName: string;
  direction: 'master' | 'slave';
  fcb?: boolean;
  fcv?: boolean;
  acd?: boolean;
  dfc?: boolean;
}

export function decodeCField(c: number): CField {
  const fn = c & 0x0f;
  if (c & 0x40) {
    const cName = MASTER_FUNCTIONS.get(fn) ?? `C_${hex2(c)}`;
    return { c, cName, direction: 'master', fcb: (c & 0x20) !== 0, fcv: (c & 0x10) !== 0 };
  }
  const cName = SLAVE_FUNCTIONS.get(fn) ?? `C_${hex2(c)}`;
  return { c, cName, direction: 'slave', acd: (c & 0x20) !== 0, dfc: (c & 0x10) !== 0 };
}

export type AddressType = NonNullable<MbusFrame['addressType']>;

export function addressType(a: number): AddressType {
  if (a === 0) return 'unconfigured';
  if (a <= 250) return 'primary';
  if (a === 253) return 'network-layer';
  if (a === 254) return 'broadcast-reply';
  if (a === 255) return 'broadcast-no-reply';
  return 'reserved';
}

export function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

export interface LinkFrame {
  kind: FrameKind;
  c?: number;
  a?: number;
  ci?: number;
  /** bytes after the CI field (long frames) */
  data?: Uint8Array;
}

/** Splits one whole frame into its link-layer fields, checking start, length, checksum and stop. */
export function parseLink(bytes: Uint8Array): LinkFrame {
  if (bytes.length === 0) fail('FRAME_EMPTY', 'no bytes given');
  const start = bytes[0];
  if (start === ACK) {
    if (bytes.length !== 1) fail('FRAME_TRAILING_BYTES', 'single character E5 followed by other bytes', 1);
    return { kind: 'ack' };
  }
  if (start === START_SHORT) {
    if (bytes.length < 5)
      fail('FRAME_TRUNCATED', `short frame needs 5 bytes, got ${bytes.length}`, bytes.length);
    if (bytes[4] !== STOP) fail('FRAME_END_INVALID', 'short frame does not end with 16', 4);
    if (sum8(bytes, 1, 3) !== bytes[3]) fail('FRAME_CHECKSUM_INVALID', 'short frame checksum mismatch', 3);
    if (bytes.length > 5) fail('FRAME_TRAILING_BYTES', 'bytes after the short frame stop byte', 5);
    return { kind: 'short', c: bytes[1], a: bytes[2] };
  }
  if (start !== START_LONG) fail('FRAME_START_INVALID', `0x${hex2(start)} does not start an M-Bus frame`, 0);
  if (bytes.length < 4) fail('FRAME_TRUNCATED', 'long frame header needs 4 bytes', bytes.length);
  const l = bytes[1];
  if (bytes[2] !== l)
    fail('FRAME_LENGTH_INVALID', `length fields differ (0x${hex2(l)} / 0x${hex2(bytes[2])})`, 2);
  if (bytes[3] !== START_LONG) fail('FRAME_START_INVALID', 'second start byte is not 68', 3);
  if (l < 3) fail('FRAME_LENGTH_INVALID', `L=${l} is below the 3 bytes of C, A and CI`, 1);
  const total = l + 6;
  if (bytes.length < total)
    fail('FRAME_TRUNCATED', `L=${l} needs ${total} bytes, got ${bytes.length}`, bytes.length);
  if (bytes[total - 1] !== STOP) fail('FRAME_END_INVALID', 'long frame does not end with 16', total - 1);
  if (sum8(bytes, 4, 4 + l) !== bytes[4 + l])
    fail('FRAME_CHECKSUM_INVALID', 'long frame checksum mismatch', 4 + l);
  if (bytes.length > total) fail('FRAME_TRAILING_BYTES', `bytes after the stop byte at ${total - 1}`, total);
  return {
    kind: l === 3 ? 'control' : 'long',
    c: bytes[4],
    a: bytes[5],
    ci: bytes[6],
    data: bytes.slice(7, 4 + l),
  };
}

function checkByte(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > 255) fail('ENCODE_INPUT_INVALID', `${what} ${n} is not a byte`);
}

export function buildShortFrame(c: number, a: number): Uint8Array {
  checkByte(c, 'C-field');
  checkByte(a, 'address');
  return Uint8Array.of(START_SHORT, c, a, (c + a) & 0xff, STOP);
}

/** Control frame (no data) when `data` is empty, long frame otherwise. */
export function buildLongFrame(
  c: number,
  a: number,
  ci: number,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  checkByte(c, 'C-field');
  checkByte(a, 'address');
  checkByte(ci, 'CI-field');
  const l = 3 + data.length;
  if (l > 255) fail('ENCODE_INPUT_INVALID', `user data of ${data.length} bytes exceeds the 252-byte limit`);
  const body = concat([Uint8Array.of(c, a, ci), data]);
  return concat([Uint8Array.of(START_LONG, l, l, START_LONG), body, Uint8Array.of(sum8(body), STOP)]);
}

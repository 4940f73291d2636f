import {
  bcdLeToDigits,
  concat,
  fail,
  hexToBytes,
  need,
  readUintLE,
  reversed,
  writeUintLE,
} from '../common/index.ts';
import { mediumName } from './medium.ts';
import type { MbusHeader, StatusBits } from './types.ts';

/** EN 13757-3 data headers in front of the variable data records. */

export const LONG_HEADER_LENGTH = 12;
export const SHORT_HEADER_LENGTH = 4;

/** Manufacturer field: three letters, each (c - 64) in 5 bits, most significant letter first. */
export function decodeManufacturer(code: number): string {
  const letter = (v: number) => String.fromCharCode((v & 0x1f) + 64);
  return letter(code >> 10) + letter(code >> 5) + letter(code);
}

export function encodeManufacturer(text: string): number {
  if (!/^[A-Z@[\\\]^_]{3}$/.test(text))
    fail('ENCODE_INPUT_INVALID', `manufacturer "${text}" is not three letters A-Z`);
  return ((text.charCodeAt(0) - 64) << 10) | ((text.charCodeAt(1) - 64) << 5) | (text.charCodeAt(2) - 64);
}

export function decodeStatus(status: number): StatusBits {
  return {
    applicationBusy: (status & 0x03) === 0x01,
    applicationError: (status & 0x03) === 0x02 || (status & 0x03) === 0x03,
    powerLow: (status & 0x04) !== 0,
    permanentError: (status & 0x08) !== 0,
    temporaryError: (status & 0x10) !== 0,
    manufacturer: status >> 5,
  };
}

/** Field bytes in wire order; `msbFirst` for CI 76/77 which send multi-byte fields big-endian. */
function field(bytes: Uint8Array, offset: number, len: number, msbFirst: boolean): Uint8Array {
  const f = bytes.slice(offset, offset + len);
  return msbFirst ? f.reverse() : f;
}

/** Identification number: 8 BCD digits; non-decimal nibbles are kept as hex letters. */
export function decodeId(bytes: Uint8Array, offset: number, msbFirst = false): string {
  return bcdLeToDigits(field(bytes, offset, 4, msbFirst), 0, 4, true);
}

/**
 * Identification to 4 BCD bytes, LSB first. Hex letters are accepted so that an id a meter sent with
 * non-decimal nibbles (and the F wildcards of a selection mask) encode back unchanged.
 */
export function encodeId(id: string): Uint8Array {
  if (!/^[0-9A-Fa-f]{1,8}$/.test(id))
    fail('ENCODE_INPUT_INVALID', `identification "${id}" is not 1-8 digits`);
  return reversed(hexToBytes(id.padStart(8, '0')));
}

export function decodeLongHeader(bytes: Uint8Array, offset: number, msbFirst = false): MbusHeader {
  need(bytes, offset, LONG_HEADER_LENGTH, 'long data header');
  const medium = bytes[offset + 7];
  return {
    id: decodeId(bytes, offset, msbFirst),
    manufacturer: decodeManufacturer(readUintLE(field(bytes, offset + 4, 2, msbFirst), 0, 2)),
    version: bytes[offset + 6],
    medium,
    mediumName: mediumName(medium),
    ...decodeShortHeader(bytes, offset + 8, msbFirst),
  };
}

export function decodeShortHeader(bytes: Uint8Array, offset: number, msbFirst = false): MbusHeader {
  need(bytes, offset, SHORT_HEADER_LENGTH, 'short data header');
  const status = bytes[offset + 1];
  return {
    accessNo: bytes[offset],
    status,
    statusBits: decodeStatus(status),
    signature: readUintLE(field(bytes, offset + 2, 2, msbFirst), 0, 2),
  };
}

export interface HeaderInput {
  id?: string;
  manufacturer?: string;
  version?: number;
  medium?: number;
  accessNo?: number;
  status?: number;
  signature?: number;
}

function byteOf(v: number | undefined, what: string): number {
  const n = v ?? 0;
  if (!Number.isInteger(n) || n < 0 || n > 255) fail('ENCODE_INPUT_INVALID', `${what} ${n} is not a byte`);
  return n;
}

export function encodeShortHeader(h: HeaderInput): Uint8Array {
  if (!h || typeof h !== 'object') fail('ENCODE_INPUT_INVALID', 'header must be an object');
  const sig = h.signature ?? 0;
  if (!Number.isInteger(sig) || sig < 0 || sig > 0xffff)
    fail('ENCODE_INPUT_INVALID', `signature ${sig} is not 16-bit`);
  return concat([
    Uint8Array.of(byteOf(h.accessNo, 'access number'), byteOf(h.status, 'status')),
    writeUintLE(sig, 2),
  ]);
}

export function encodeLongHeader(h: HeaderInput): Uint8Array {
  if (!h || typeof h !== 'object') fail('ENCODE_INPUT_INVALID', 'header must be an object');
  if (typeof h.id !== 'string' || typeof h.manufacturer !== 'string') {
    fail('ENCODE_INPUT_INVALID', 'a long header needs id and manufacturer strings');
  }
  return concat([
    encodeId(h.id),
    writeUintLE(encodeManufacturer(h.manufacturer), 2),
    Uint8Array.of(byteOf(h.version, 'version'), byteOf(h.medium, 'medium')),
    encodeShortHeader(h),
  ]);
}

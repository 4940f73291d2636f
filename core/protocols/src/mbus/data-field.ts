import {
  bcdLeToDigits,
  bytesToHex,
  concat,
  digitsToBcdLe,
  FILL_FF,
  fail,
  filled,
  isFilled,
  need,
} from '../common/index.ts';
import type { DataCoding } from './types.ts';

/** Data field codings selected by DIF bits 0-3 (EN 13757-3 table "coding of the data field"). */
export const CODINGS: readonly DataCoding[] = [
  'none',
  'int8',
  'int16',
  'int24',
  'int32',
  'real32',
  'int48',
  'int64',
  'selection',
  'bcd2',
  'bcd4',
  'bcd6',
  'bcd8',
  'lvar',
  'bcd12',
  'special',
];

/** Fixed data length per coding; LVAR and special have none. */
export const CODING_LENGTH: Record<DataCoding, number> = {
  none: 0,
  int8: 1,
  int16: 2,
  int24: 3,
  int32: 4,
  real32: 4,
  int48: 6,
  int64: 8,
  selection: 0,
  bcd2: 1,
  bcd4: 2,
  bcd6: 3,
  bcd8: 4,
  lvar: 0,
  bcd12: 6,
  special: 0,
};

export interface DataField {
  /** bytes the field takes, LVAR length byte included */
  length: number;
  /** the coded number, text, hex digits (non-decimal BCD) or binary hex (long LVAR), null for no data */
  value: number | string | null;
  /** set when the value is a string of digits or text rather than a number */
  text?: string;
  /** data bytes in wire order (LVAR length byte excluded) */
  bytes: Uint8Array;
}

/** Two's complement little-endian integer; 64-bit values lose precision beyond 2^53 like any JS number. */
export function readIntLE(b: Uint8Array, o: number, len: number): number {
  let v = 0n;
  for (let i = len - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[o + i]);
  const bits = BigInt(len * 8);
  if (v >> (bits - 1n)) v -= 1n << bits;
  return Number(v);
}

export function writeIntLE(value: number, len: number): Uint8Array {
  if (!Number.isSafeInteger(value)) fail('ENCODE_INPUT_INVALID', `${value} is not an integer`);
  let v = BigInt(value);
  const bits = BigInt(len * 8);
  if (v < -(1n << (bits - 1n)) || v >= 1n << (bits - 1n))
    fail('ENCODE_INPUT_INVALID', `${value} does not fit ${len} byte(s)`);
  if (v < 0n) v += 1n << bits;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The shortest decimal that reads back as the same 32-bit float (21.536703, not 21.53670310974121). */
export function shortestFloat32(f: number): number {
  for (let p = 1; p <= 9; p++) {
    const x = Number(f.toPrecision(p));
    if (Math.fround(x) === f) return x;
  }
  return f;
}

/**
 * BCD, LSB first. A most significant nibble F marks a negative number (EN 13757-3 Annex B);
 * any other non-decimal nibble leaves the value as its digit string.
 */
function readBcd(b: Uint8Array, o: number, len: number): { value: number | string; text?: string } {
  const digits = bcdLeToDigits(b, o, len, true);
  if (/^[0-9]+$/.test(digits)) return { value: Number(digits) };
  if (/^F[0-9]+$/.test(digits)) return { value: -Number(digits.slice(1)) };
  return { value: digits, text: digits };
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const c of bytes) s += String.fromCharCode(c);
  return s;
}

function readLvar(b: Uint8Array, o: number): DataField {
  need(b, o, 1, 'LVAR length');
  const l = b[o];
  const at = o + 1;
  const take = (n: number): Uint8Array => {
    need(b, at, n, 'LVAR data');
    return b.slice(at, at + n);
  };
  if (l <= 0xbf) {
    const bytes = take(l);
    const text = latin1(Uint8Array.from(bytes).reverse());
    return { length: 1 + l, value: text, text, bytes };
  }
  if (l <= 0xdf && (l & 0x0f) <= 9) {
    const n = l & 0x0f;
    const bytes = take(n);
    const bcd = n === 0 ? { value: 0 } : readBcd(bytes, 0, n);
    const value = typeof bcd.value === 'number' && l >= 0xd0 ? -bcd.value : bcd.value;
    return { length: 1 + n, value, ...(bcd.text ? { text: bcd.text } : {}), bytes };
  }
  if (l >= 0xe0 && l <= 0xef) {
    const n = l - 0xe0;
    const bytes = take(n);
    if (n <= 6) return { length: 1 + n, value: n === 0 ? 0 : readIntLE(bytes, 0, n), bytes };
    const hex = bytesToHex(bytes);
    return { length: 1 + n, value: hex, text: hex, bytes };
  }
  if (l >= 0xf0 && l <= 0xf6) {
    const n = l <= 0xf4 ? 4 * (l - 0xec) : l === 0xf5 ? 48 : 64;
    const bytes = take(n);
    const hex = bytesToHex(bytes);
    return { length: 1 + n, value: hex, text: hex, bytes };
  }
  fail('FRAME_FIELD_INVALID', `reserved LVAR length byte 0x${l.toString(16).toUpperCase()}`, o);
}

export function readDataField(b: Uint8Array, o: number, coding: DataCoding): DataField {
  if (coding === 'lvar') return readLvar(b, o);
  const len = CODING_LENGTH[coding];
  need(b, o, len, `${coding} data`);
  const bytes = b.slice(o, o + len);
  if (len === 0) return { length: 0, value: null, bytes };
  if (coding === 'real32') {
    const f = new DataView(bytes.buffer).getFloat32(0, true);
    return { length: len, value: Number.isFinite(f) ? f : null, bytes };
  }
  // every nibble F is not a number (F only marks the sign): the meter has no value (no data)
  if (coding.startsWith('bcd') && isFilled(b, o, len, FILL_FF)) return { length: len, value: null, bytes };
  if (coding.startsWith('bcd')) return { length: len, ...readBcd(b, o, len), bytes };
  return { length: len, value: readIntLE(b, o, len), bytes };
}

function encodeBcd(value: number | string, len: number): Uint8Array {
  if (typeof value === 'string') {
    if (!/^[0-9A-Fa-f]+$/.test(value) || value.length > len * 2)
      fail('ENCODE_INPUT_INVALID', `"${value}" is not ${len * 2} BCD digits`);
    const padded = value.padStart(len * 2, '0');
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++)
      out[i] = Number.parseInt(padded.slice(padded.length - 2 - 2 * i, padded.length - 2 * i), 16);
    return out;
  }
  if (!Number.isSafeInteger(value)) fail('ENCODE_INPUT_INVALID', `${value} is not an integer for BCD`);
  if (value >= 0) return digitsToBcdLe(String(value), len);
  const digits = String(-value);
  if (digits.length > len * 2 - 1) fail('ENCODE_INPUT_INVALID', `${value} does not fit ${len} BCD byte(s)`);
  return encodeBcd(`F${digits.padStart(len * 2 - 1, '0')}`, len);
}

function encodeText(text: string): Uint8Array {
  if (text.length > 0xbf) fail('ENCODE_INPUT_INVALID', `text of ${text.length} characters exceeds 191`);
  const out = new Uint8Array(text.length + 1);
  out[0] = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(text.length - 1 - i);
    if (c > 0xff) fail('ENCODE_INPUT_INVALID', `character ${text[text.length - 1 - i]} is not ISO 8859-1`);
    out[1 + i] = c;
  }
  return out;
}

/** Encodes a coded value (the `rawValue` of a record) with the given coding. */
export function writeDataField(coding: DataCoding, value: number | string | null | undefined): Uint8Array {
  const len = CODING_LENGTH[coding];
  if (coding === 'none' || coding === 'selection') return new Uint8Array(0);
  if (coding === 'special') fail('ENCODE_INPUT_INVALID', 'special functions carry no data field');
  if (value === null && coding.startsWith('bcd')) return filled(len, FILL_FF);
  if (value === null || value === undefined) fail('ENCODE_INPUT_INVALID', `a ${coding} field needs a value`);
  if (coding === 'lvar') {
    if (typeof value === 'string') return encodeText(value);
    if (!Number.isSafeInteger(value)) fail('ENCODE_INPUT_INVALID', `${value} is not an integer for LVAR`);
    const digits = String(Math.abs(value));
    const n = Math.ceil(digits.length / 2);
    if (n > 9) fail('ENCODE_INPUT_INVALID', `${value} is too long for an LVAR BCD number`);
    return concat([Uint8Array.of((value < 0 ? 0xd0 : 0xc0) + n), digitsToBcdLe(digits, n)]);
  }
  if (coding.startsWith('bcd')) return encodeBcd(value, len);
  if (typeof value !== 'number') fail('ENCODE_INPUT_INVALID', `${coding} needs a number, got "${value}"`);
  if (coding === 'real32') {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setFloat32(0, value, true);
    return out;
  }
  return writeIntLE(value, len);
}

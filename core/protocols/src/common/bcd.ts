import { fail } from './errors.ts';

/** True when both nibbles of `b` are decimal digits. */
export function isBcdByte(b: number): boolean {
  return (b & 0x0f) <= 9 && b >> 4 <= 9;
}

/**
 * Decodes `len` BCD bytes stored least significant byte first (the order of all four serial
 * protocols) to a digit string, most significant digit first. Throws FRAME_FIELD_INVALID on a
 * non-decimal nibble unless `lenient` is set, in which case nibbles A-F are kept as hex letters.
 */
export function bcdLeToDigits(bytes: Uint8Array, offset: number, len: number, lenient = false): string {
  let s = '';
  for (let i = offset + len - 1; i >= offset; i--) {
    const b = bytes[i];
    if (!lenient && !isBcdByte(b)) {
      fail('FRAME_FIELD_INVALID', `byte 0x${b.toString(16).padStart(2, '0')} at ${i} is not BCD`, i);
    }
    s += (b >> 4).toString(16).toUpperCase() + (b & 0x0f).toString(16).toUpperCase();
  }
  return s;
}

/** Decodes unsigned little-endian BCD to a number scaled by 10^-decimals. */
export function bcdLeToNumber(bytes: Uint8Array, offset: number, len: number, decimals = 0): number {
  const digits = bcdLeToDigits(bytes, offset, len);
  return scale(Number(digits), decimals);
}

/**
 * Signed BCD as DL/T 645 and Q/GDW 1376.1 send it: the top bit of the most significant byte is
 * the sign, the remaining bits are BCD.
 */
export function bcdLeToSignedNumber(bytes: Uint8Array, offset: number, len: number, decimals = 0): number {
  const copy = bytes.slice(offset, offset + len);
  const negative = (copy[len - 1] & 0x80) !== 0;
  copy[len - 1] &= 0x7f;
  const v = bcdLeToNumber(copy, 0, len, decimals);
  return negative && v !== 0 ? -v : v;
}

/** Encodes a digit string (most significant first) to little-endian BCD of `len` bytes. */
export function digitsToBcdLe(digits: string, len: number): Uint8Array {
  if (!/^[0-9]*$/.test(digits) || digits.length > len * 2) {
    fail('ENCODE_INPUT_INVALID', `"${digits}" does not fit ${len} BCD byte(s)`);
  }
  const padded = digits.padStart(len * 2, '0');
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const hi = padded.charCodeAt(padded.length - 2 - i * 2) - 48;
    const lo = padded.charCodeAt(padded.length - 1 - i * 2) - 48;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Encodes a non-negative number with `decimals` places to little-endian BCD of `len` bytes. */
export function numberToBcdLe(value: number, len: number, decimals = 0): Uint8Array {
  if (!Number.isFinite(value) || value < 0)
    fail('ENCODE_INPUT_INVALID', `${value} is not a non-negative number`);
  const scaled = Math.round(value * 10 ** decimals);
  return digitsToBcdLe(String(scaled), len);
}

/** Signed variant: sign in the top bit of the most significant byte. */
export function signedNumberToBcdLe(value: number, len: number, decimals = 0): Uint8Array {
  const out = numberToBcdLe(Math.abs(value), len, decimals);
  if (out[len - 1] & 0x80) fail('ENCODE_INPUT_INVALID', `${value} does not fit ${len} signed BCD byte(s)`);
  if (value < 0) out[len - 1] |= 0x80;
  return out;
}

/** value × 10^-decimals without binary noise (0.26, not 0.26000000000000001). */
export function scale(value: number, decimals: number): number {
  if (decimals === 0) return value;
  return Number((value / 10 ** decimals).toFixed(decimals));
}

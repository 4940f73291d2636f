import { fail } from './errors.ts';

const HEX = '0123456789ABCDEF';

/** Parses hex with optional spaces, colons, dashes or a 0x prefix. */
export function hexToBytes(text: string): Uint8Array {
  const clean = text.replace(/^0x/i, '').replace(/[\s:,-]/g, '');
  if (clean.length === 0) fail('FRAME_EMPTY', 'no bytes given');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(clean)) {
    fail('FRAME_HEX_INVALID', 'input is not an even-length hex string');
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Upper-case hex, bytes separated by `sep` (default none). */
export function bytesToHex(bytes: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && sep) s += sep;
    const b = bytes[i];
    s += HEX[b >> 4] + HEX[b & 15];
  }
  return s;
}

/** Modulo-256 sum of bytes[from, to). Used by DL/T 645, CJ/T 188, M-Bus and Q/GDW 1376.1. */
export function sum8(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s = (s + bytes[i]) & 0xff;
  return s;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Little-endian unsigned integer of `len` bytes (len ≤ 6 keeps it exact). */
export function readUintLE(bytes: Uint8Array, offset: number, len: number): number {
  let v = 0;
  for (let i = len - 1; i >= 0; i--) v = v * 256 + bytes[offset + i];
  return v;
}

export function writeUintLE(value: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let v = value;
  for (let i = 0; i < len; i++) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

/** Reverses a copy (protocols send addresses and numbers least significant byte first). */
export function reversed(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes).reverse();
}

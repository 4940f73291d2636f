import {
  bcdLeToDigits,
  bcdLeToNumber,
  bcdLeToSignedNumber,
  digitsToBcdLe,
  numberToBcdLe,
  signedNumberToBcdLe,
} from '../common/bcd.ts';
import { bytesToHex, concat, hexToBytes, reversed } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { FILL_FF, filled, isFilled } from '../common/no-value.ts';
import type { Fmt, ItemRecord, ItemValue, TimePattern } from './types.ts';

const TIME_BYTES: Record<TimePattern, number> = {
  YYMMDDhhmmss: 6,
  YYMMDDhhmm: 5,
  YYMMDDWW: 4,
  YYMMDD: 3,
  hhmmss: 3,
  MMDDhhmm: 4,
  DDhh: 2,
};

/** Bytes of one value of `fmt` (for a block: of one member). */
export function fmtSize(fmt: Fmt): number {
  switch (fmt.t) {
    case 'num':
    case 'digits':
    case 'hex':
      return fmt.n;
    case 'time':
      return TIME_BYTES[fmt.p];
    case 'rec':
      return fmt.f.reduce((n, f) => n + fmtSize(f.fmt), 0);
    case 'block':
      return fmtSize(fmt.of);
  }
}

/** Largest magnitude a BCD number of `n` bytes can carry (the sign bit costs the top digit). */
export function numMax(fmt: { n: number; d: number; s?: boolean }): number {
  const units = fmt.s ? 8 * 10 ** (fmt.n * 2 - 1) - 1 : 10 ** (fmt.n * 2) - 1;
  return units / 10 ** fmt.d;
}

function pair(d: string, i: number): string {
  return d.slice(i, i + 2);
}

/** Date/time digits (most significant first) to the readable form used in decoded frames. */
export function formatTime(p: TimePattern, d: string): ItemValue {
  switch (p) {
    case 'YYMMDDhhmmss':
      return `20${pair(d, 0)}-${pair(d, 2)}-${pair(d, 4)} ${pair(d, 6)}:${pair(d, 8)}:${pair(d, 10)}`;
    case 'YYMMDDhhmm':
      return `20${pair(d, 0)}-${pair(d, 2)}-${pair(d, 4)} ${pair(d, 6)}:${pair(d, 8)}`;
    case 'YYMMDDWW':
      return { date: `20${pair(d, 0)}-${pair(d, 2)}-${pair(d, 4)}`, weekday: Number(pair(d, 6)) };
    case 'YYMMDD':
      return `20${pair(d, 0)}-${pair(d, 2)}-${pair(d, 4)}`;
    case 'hhmmss':
      return `${pair(d, 0)}:${pair(d, 2)}:${pair(d, 4)}`;
    case 'MMDDhhmm':
      return `${pair(d, 0)}-${pair(d, 2)} ${pair(d, 4)}:${pair(d, 6)}`;
    case 'DDhh':
      return `${pair(d, 0)} ${pair(d, 2)}`;
  }
}

const TIME_RE: Record<TimePattern, RegExp> = {
  YYMMDDhhmmss: /^20(\d\d)-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)$/,
  YYMMDDhhmm: /^20(\d\d)-(\d\d)-(\d\d)[ T](\d\d):(\d\d)$/,
  YYMMDDWW: /^20(\d\d)-(\d\d)-(\d\d)$/,
  YYMMDD: /^20(\d\d)-(\d\d)-(\d\d)$/,
  hhmmss: /^(\d\d):(\d\d):(\d\d)$/,
  MMDDhhmm: /^(\d\d)-(\d\d) (\d\d):(\d\d)$/,
  DDhh: /^(\d\d) (\d\d)$/,
};

/** Inverse of formatTime: the readable form back to digits. */
export function parseTime(p: TimePattern, value: unknown): string {
  let text = value;
  let week = '';
  if (p === 'YYMMDDWW') {
    const v = value as { date?: unknown; weekday?: unknown } | null;
    const wd = v && typeof v === 'object' ? v.weekday : undefined;
    if (typeof wd !== 'number' || !Number.isInteger(wd) || wd < 0 || wd > 99) {
      fail('ENCODE_INPUT_INVALID', 'YYMMDDWW needs { date: "YYYY-MM-DD", weekday: 0-6 }');
    }
    text = v?.date;
    week = String(wd).padStart(2, '0');
  }
  const m = typeof text === 'string' ? TIME_RE[p].exec(text) : null;
  if (!m) fail('ENCODE_INPUT_INVALID', `"${String(text)}" does not match ${p}`);
  return m.slice(1).join('') + week;
}

/**
 * Reads one value of a non-block format at `offset`. A number, time or digit field the meter
 * filled with FF (no data) reads as null. Throws FRAME_FIELD_INVALID on other non-BCD bytes.
 */
export function decodeFmt(fmt: Fmt, b: Uint8Array, offset: number): ItemValue {
  if (
    (fmt.t === 'num' || fmt.t === 'time' || fmt.t === 'digits') &&
    isFilled(b, offset, fmtSize(fmt), FILL_FF)
  )
    return null;
  switch (fmt.t) {
    case 'num':
      return fmt.s ? bcdLeToSignedNumber(b, offset, fmt.n, fmt.d) : bcdLeToNumber(b, offset, fmt.n, fmt.d);
    case 'time':
      return formatTime(fmt.p, bcdLeToDigits(b, offset, TIME_BYTES[fmt.p]));
    case 'digits':
      return bcdLeToDigits(b, offset, fmt.n);
    case 'hex':
      return bytesToHex(reversed(b.subarray(offset, offset + fmt.n)));
    case 'rec': {
      const out: ItemRecord = {};
      let o = offset;
      for (const f of fmt.f) {
        out[f.key] = decodeFmt(f.fmt, b, o);
        o += fmtSize(f.fmt);
      }
      return out;
    }
    case 'block':
      return decodeBlock(fmt, b, offset, b.length - offset).values;
  }
}

export function decodeBlock(
  fmt: Extract<Fmt, { t: 'block' }>,
  b: Uint8Array,
  offset: number,
  len: number,
): { values: ItemRecord; used: number } {
  const size = fmtSize(fmt.of);
  const count = Math.min(Math.floor(len / size), fmt.labels.length);
  if (count < fmt.min)
    fail('FRAME_FIELD_INVALID', `block needs ${fmt.min} value(s) of ${size} bytes, got ${len} bytes`);
  const values: ItemRecord = {};
  for (let i = 0; i < count; i++) values[fmt.labels[i]] = decodeFmt(fmt.of, b, offset + i * size);
  return { values, used: count * size };
}

function asNumber(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    fail('ENCODE_INPUT_INVALID', `${String(v)} is not a number`);
  return v;
}

/** Writes one value (null: FF fill); throws ENCODE_INPUT_INVALID when it does not fit the format. */
export function encodeFmt(fmt: Fmt, value: unknown): Uint8Array {
  if (value === null && fmt.t !== 'rec' && fmt.t !== 'block') return filled(fmtSize(fmt), FILL_FF);
  switch (fmt.t) {
    case 'num': {
      const v = asNumber(value);
      if (!fmt.s && v < 0) fail('ENCODE_INPUT_INVALID', `${v} is negative but the item is unsigned`);
      return fmt.s ? signedNumberToBcdLe(v, fmt.n, fmt.d) : numberToBcdLe(v, fmt.n, fmt.d);
    }
    case 'time':
      return digitsToBcdLe(parseTime(fmt.p, value), TIME_BYTES[fmt.p]);
    case 'digits':
      if (typeof value !== 'string') fail('ENCODE_INPUT_INVALID', `${String(value)} is not a digit string`);
      return digitsToBcdLe(value, fmt.n);
    case 'hex': {
      if (typeof value !== 'string' || value.length !== fmt.n * 2) {
        fail('ENCODE_INPUT_INVALID', `${String(value)} is not ${fmt.n} byte(s) of hex`);
      }
      return reversed(hexToBytes(value));
    }
    case 'rec': {
      if (!value || typeof value !== 'object') fail('ENCODE_INPUT_INVALID', 'record value must be an object');
      const rec = value as Record<string, unknown>;
      return concat(fmt.f.map((f) => encodeFmt(f.fmt, rec[f.key])));
    }
    case 'block':
      return encodeBlock(fmt, value);
  }
}

/** Block values as an object keyed by label (total, T1, ...) or an array in wire order. */
export function encodeBlock(fmt: Extract<Fmt, { t: 'block' }>, value: unknown): Uint8Array {
  if (!value || typeof value !== 'object')
    fail('ENCODE_INPUT_INVALID', 'block value must be an object or array');
  const list = Array.isArray(value)
    ? value
    : fmt.labels
        .filter((l) => (value as Record<string, unknown>)[l] !== undefined)
        .map((l) => (value as Record<string, unknown>)[l]);
  if (!Array.isArray(value)) {
    const keys = Object.keys(value as object);
    if (keys.some((k, i) => k !== fmt.labels[i]))
      fail('ENCODE_INPUT_INVALID', `block keys must be ${fmt.labels.slice(0, 3).join(', ')}... in order`);
  }
  if (list.length < fmt.min || list.length > fmt.labels.length) {
    fail('ENCODE_INPUT_INVALID', `block needs ${fmt.min}..${fmt.labels.length} values, got ${list.length}`);
  }
  return concat(list.map((v) => encodeFmt(fmt.of, v)));
}

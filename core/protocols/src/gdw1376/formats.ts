import {
  bcdLeToNumber,
  bcdLeToSignedNumber,
  isBcdByte,
  numberToBcdLe,
  signedNumberToBcdLe,
} from '../common/bcd.ts';
import { fail } from '../common/errors.ts';
import { asInt, asObject, asString } from './validate.ts';

/**
 * Q/GDW 1376.1 appendix A data formats. All are BCD, least significant byte first. A field whose
 * bytes are all EE means "no data" (meter not read, value invalid): it reads as null and a null
 * writes as EE bytes.
 */
export interface Format<V> {
  readonly size: number;
  read(b: Uint8Array, off: number): V | null;
  write(v: unknown): Uint8Array;
}

export const NO_DATA = 0xee;

export function isNoData(b: Uint8Array, off: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[off + i] !== NO_DATA) return false;
  return true;
}

export function noData(len: number): Uint8Array {
  return new Uint8Array(len).fill(NO_DATA);
}

function numeric(size: number, decimals: number, signed: boolean): Format<number> {
  return {
    size,
    read(b, off) {
      if (isNoData(b, off, size)) return null;
      return signed ? bcdLeToSignedNumber(b, off, size, decimals) : bcdLeToNumber(b, off, size, decimals);
    },
    write(v) {
      if (v === null || v === undefined) return noData(size);
      if (typeof v !== 'number') fail('ENCODE_INPUT_INVALID', `${String(v)} is not a number`);
      return signed ? signedNumberToBcdLe(v, size, decimals) : numberToBcdLe(v, size, decimals);
    },
  };
}

/** A.5 ±XXX.X (power factor, %). */
export const A5 = numeric(2, 1, true);
/** A.7 XXX.X (voltage, V). */
export const A7 = numeric(2, 1, false);
/** A.9 ±XX.XXXX (power, kW / kvar / kVA). */
export const A9 = numeric(3, 4, true);
/** A.11 XXXXXX.XX (energy, kWh / kvarh). */
export const A11 = numeric(4, 2, false);
/** A.14 XXXXXX.XXXX (energy indication, kWh). */
export const A14 = numeric(5, 4, false);
/** A.25 ±XXX.XXX (current, A). */
export const A25 = numeric(3, 3, true);

function bcd(b: Uint8Array, i: number, mask = 0xff): number {
  const v = b[i] & mask;
  if (!isBcdByte(v)) fail('FRAME_FIELD_INVALID', `byte 0x${b[i].toString(16)} at ${i} is not BCD`, i);
  return (v >> 4) * 10 + (v & 0x0f);
}

function toBcd(n: number): number {
  return (Math.floor(n / 10) << 4) | (n % 10);
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** Parses `text` with `re`; every group is a decimal number. */
function parts(v: unknown, re: RegExp, what: string): number[] {
  const m = re.exec(asString(v, what));
  if (!m) fail('ENCODE_INPUT_INVALID', `${what} "${String(v)}" does not match ${re.source}`);
  return m.slice(1).map(Number);
}

/** Year written on the wire as two BCD digits: 2000..2099. */
function yy(year: number, what: string): number {
  return asInt(year, 2000, 2099, `${what} year`) - 2000;
}

/** A.1 clock: ss mm hh DD (weekday D7..D5 | month) YY. */
export interface Clock {
  time: string;
  weekday: number;
}

/** Day of week 1 (Monday) .. 7 (Sunday), as A.1 counts it. */
export function weekdayOf(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

export const A1: Format<Clock> = {
  size: 6,
  read(b, off) {
    if (isNoData(b, off, 6)) return null;
    const month = bcd(b, off + 4, 0x1f);
    const time = `20${p2(bcd(b, off + 5))}-${p2(month)}-${p2(bcd(b, off + 3))} ${p2(bcd(b, off + 2))}:${p2(bcd(b, off + 1))}:${p2(bcd(b, off))}`;
    return { time, weekday: b[off + 4] >> 5 };
  },
  write(v) {
    if (v === null || v === undefined) return noData(6);
    const o = typeof v === 'string' ? { time: v } : asObject(v, 'clock');
    const [y, mo, d, h, mi, s] = parts(
      o.time,
      /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/,
      'clock time',
    );
    const w = o.weekday === undefined ? weekdayOf(y, mo, d) : asInt(o.weekday, 0, 7, 'weekday');
    if (mo > 19) fail('ENCODE_INPUT_INVALID', `month ${mo} does not fit A.1`);
    return Uint8Array.of(
      toBcd(s),
      toBcd(mi),
      toBcd(h),
      toBcd(d),
      (w << 5) | toBcd(mo),
      toBcd(yy(y, 'clock')),
    );
  },
};

function dateFormat(
  size: number,
  re: RegExp,
  what: string,
  show: (f: number[]) => string,
  hasYear = true,
): Format<string> {
  return {
    size,
    read(b, off) {
      if (isNoData(b, off, size)) return null;
      const f: number[] = [];
      for (let i = 0; i < size; i++) f.push(bcd(b, off + i));
      return show(f);
    },
    write(v) {
      if (v === null || v === undefined) return noData(size);
      const f = parts(v, re, what);
      // the text is most significant first with the year in full; the wire is the reverse
      const wire = f.slice().reverse();
      if (hasYear) wire[wire.length - 1] = yy(f[0], what);
      return Uint8Array.from(wire.map(toBcd));
    },
  };
}

/** A.15 mm hh DD MM YY → 'YYYY-MM-DD HH:MM'. */
export const A15 = dateFormat(
  5,
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/,
  'A.15 time',
  (f) => `20${p2(f[4])}-${p2(f[3])}-${p2(f[2])} ${p2(f[1])}:${p2(f[0])}`,
);
/** A.16 ss mm hh DD → 'DD HH:MM:SS' (used by Tp). */
export const A16 = dateFormat(
  4,
  /^(\d{2}) (\d{2}):(\d{2}):(\d{2})$/,
  'A.16 time',
  (f) => `${p2(f[3])} ${p2(f[2])}:${p2(f[1])}:${p2(f[0])}`,
  false,
);
/** A.20 DD MM YY → 'YYYY-MM-DD'. */
export const A20 = dateFormat(
  3,
  /^(\d{4})-(\d{2})-(\d{2})$/,
  'A.20 date',
  (f) => `20${p2(f[2])}-${p2(f[1])}-${p2(f[0])}`,
);
/** A.21 MM YY → 'YYYY-MM'. */
export const A21 = dateFormat(2, /^(\d{4})-(\d{2})$/, 'A.21 month', (f) => `20${p2(f[1])}-${p2(f[0])}`);

import { fail } from '../common/index.ts';

/**
 * EN 13757-3 Annex A date and time types, LSB first:
 * G (2 bytes, date), F (4 bytes, date + time to the minute), I (6 bytes, with seconds), J (3 bytes, time).
 * The year has 7 bits: bits 5-7 of the day byte are the low part, bits 4-7 of the month byte the high part.
 */

export interface DecodedDate {
  text: string;
  invalid: boolean;
  summerTime?: boolean;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Years 0-80 are 2000-2080, 81-99 are 1981-1999; an all-zero date keeps year 2000 as sent. */
function fullYear(y: number): number {
  return y <= 80 ? 2000 + y : 1900 + y;
}

function dateFields(day: number, month: number): { y: number; m: number; d: number } {
  const y = ((day & 0xe0) >> 5) | ((month & 0xf0) >> 1);
  return { y: fullYear(y), m: month & 0x0f, d: day & 0x1f };
}

function dateValid(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function decodeTypeG(b: Uint8Array, o: number): DecodedDate {
  const { y, m, d } = dateFields(b[o], b[o + 1]);
  return { text: `${y}-${pad(m)}-${pad(d)}`, invalid: !dateValid(y, m, d) };
}

export function decodeTypeF(b: Uint8Array, o: number): DecodedDate {
  const min = b[o] & 0x3f;
  const hour = b[o + 1] & 0x1f;
  const { y, m, d } = dateFields(b[o + 2], b[o + 3]);
  const invalid = (b[o] & 0x80) !== 0 || min > 59 || hour > 23 || !dateValid(y, m, d);
  return {
    text: `${y}-${pad(m)}-${pad(d)}T${pad(hour)}:${pad(min)}:00Z`,
    invalid,
    summerTime: (b[o + 1] & 0x80) !== 0,
  };
}

export function decodeTypeI(b: Uint8Array, o: number): DecodedDate {
  const sec = b[o] & 0x3f;
  const f = decodeTypeF(b, o + 1);
  const text = f.text.replace(/:00Z$/, `:${pad(sec)}Z`);
  return { text, invalid: f.invalid || sec > 59 || (b[o] & 0x80) !== 0, summerTime: f.summerTime };
}

export function decodeTypeJ(b: Uint8Array, o: number): DecodedDate {
  const sec = b[o] & 0x3f;
  const min = b[o + 1] & 0x3f;
  const hour = b[o + 2] & 0x1f;
  return { text: `${pad(hour)}:${pad(min)}:${pad(sec)}`, invalid: sec > 59 || min > 59 || hour > 23 };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?)?$/;

interface DateParts {
  y: number;
  m: number;
  d: number;
  hh: number;
  mm: number;
  ss: number;
}

function parseIso(text: string): DateParts {
  const m = DATE_RE.exec(text);
  if (!m) fail('ENCODE_INPUT_INVALID', `"${text}" is not an ISO date or date-time`);
  const y = Number(m[1]);
  if (y < 1981 || y > 2080) fail('ENCODE_INPUT_INVALID', `year ${y} is outside 1981-2080`);
  const parts = {
    y,
    m: Number(m[2]),
    d: Number(m[3]),
    hh: Number(m[4] ?? 0),
    mm: Number(m[5] ?? 0),
    ss: Number(m[6] ?? 0),
  };
  if (parts.m > 15 || parts.d > 31 || parts.hh > 31 || parts.mm > 63 || parts.ss > 63) {
    fail('ENCODE_INPUT_INVALID', `"${text}" has a field out of range`);
  }
  return parts;
}

function datePair(p: DateParts): [number, number] {
  const y = p.y % 100;
  return [((y & 0x07) << 5) | p.d, ((y & 0x78) << 1) | p.m];
}

export function encodeTypeG(text: string): Uint8Array {
  return Uint8Array.from(datePair(parseIso(text)));
}

export function encodeTypeF(text: string, invalid = false, summerTime = false): Uint8Array {
  const p = parseIso(text);
  return Uint8Array.of(p.mm | (invalid ? 0x80 : 0), p.hh | (summerTime ? 0x80 : 0), ...datePair(p));
}

export function encodeTypeI(text: string, invalid = false, summerTime = false): Uint8Array {
  const p = parseIso(text);
  return Uint8Array.of(p.ss | (invalid ? 0x80 : 0), ...encodeTypeF(text, false, summerTime), 0, 0);
}

import { bcdLeToDigits, bcdLeToNumber, numberToBcdLe } from '../common/bcd.ts';
import { bytesToHex, readUintLE, writeUintLE } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { FILL_FF, filled, isFilled } from '../common/no-value.ts';
import { unitCode, unitName, units, valveCommands } from './tables.ts';

/**
 * One field of a CJ/T 188 data body. All numbers are BCD, least significant byte first.
 * `measure` is a value followed by its unit byte; `time` is YYYYMMDDhhmmss sent ss first.
 */
export type Field =
  | { key: string; kind: 'measure'; len: number; decimals: number; defaultUnit: string }
  | { key: string; kind: 'bcd'; len: number; decimals: number }
  | { key: string; kind: 'uint'; len: number }
  | { key: string; kind: 'hex'; len: number }
  | { key: string; kind: 'time' }
  | { key: string; kind: 'status' }
  | { key: string; kind: 'valve' }
  | { key: string; kind: 'address' };

export type Data = Record<string, unknown>;

export interface Status {
  valve: 'open' | 'closed' | 'abnormal' | 'unknown';
  battery: 'normal' | 'low';
  /** ST1 ST2 as sent; D3..D7 of ST1 and all of ST2 are vendor bits */
  raw: string;
}

export function fieldSize(f: Field): number {
  switch (f.kind) {
    case 'measure':
      return f.len + 1;
    case 'bcd':
    case 'uint':
    case 'hex':
      return f.len;
    case 'time':
    case 'address':
      return 7;
    case 'status':
      return 2;
    case 'valve':
      return 1;
  }
}

const baseSuffix: Record<string, string> = { kWh: 'kWh', kW: 'kW', m3: 'm3', 'm3/h': 'm3h' };

/** Hex digits (most significant first, A-F allowed) to `len` bytes least significant first. */
export function hexDigitsToLe(digits: unknown, len: number, what: string): Uint8Array {
  if (typeof digits !== 'string' || !new RegExp(`^[0-9A-Fa-f]{${len * 2}}$`).test(digits)) {
    fail('ENCODE_INPUT_INVALID', `${what} must be ${len * 2} hex digits`);
  }
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++)
    out[i] = Number.parseInt(digits.slice(digits.length - 2 - i * 2, digits.length - i * 2), 16);
  return out;
}

const VALVE_STATES = ['open', 'closed', 'unknown', 'abnormal'] as const;

export function decodeStatus(st1: number, st2: number): Status {
  return {
    valve: VALVE_STATES[st1 & 0x03],
    battery: st1 & 0x04 ? 'low' : 'normal',
    raw: bytesToHex(Uint8Array.of(st1, st2)),
  };
}

export function encodeStatus(s: unknown): Uint8Array {
  if (s === null || typeof s !== 'object') fail('ENCODE_INPUT_INVALID', 'status must be an object');
  const st = s as Partial<Status>;
  if (st.raw !== undefined) {
    if (typeof st.raw !== 'string' || !/^[0-9A-Fa-f]{4}$/.test(st.raw))
      fail('ENCODE_INPUT_INVALID', 'status.raw must be 4 hex digits');
    return Uint8Array.of(Number.parseInt(st.raw.slice(0, 2), 16), Number.parseInt(st.raw.slice(2), 16));
  }
  const v = VALVE_STATES.indexOf(st.valve ?? 'open');
  if (v < 0) fail('ENCODE_INPUT_INVALID', `status.valve "${String(st.valve)}" is not open/closed/abnormal`);
  return Uint8Array.of(v | (st.battery === 'low' ? 0x04 : 0), 0);
}

function isoFromDigits(d: string): string | null {
  if (!/^\d{14}$/.test(d)) return null;
  const [y, mo, da, h, mi, s] = [
    d.slice(0, 4),
    d.slice(4, 6),
    d.slice(6, 8),
    d.slice(8, 10),
    d.slice(10, 12),
    d.slice(12),
  ].map(Number);
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (y < 1 || mo < 1 || mo > 12 || da < 1 || da > dim || h > 23 || mi > 59 || s > 59) return null;
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12)}`;
}

function encodeTime(data: Data, key: string): Uint8Array {
  const iso = data[key];
  if (typeof iso === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})/.exec(iso);
    if (!m) fail('ENCODE_INPUT_INVALID', `${key} "${iso}" is not YYYY-MM-DDThh:mm:ss`);
    return hexDigitsToLe(m.slice(1).join(''), 7, key);
  }
  return hexDigitsToLe(data[`${key}_digits`], 7, `${key}_digits`);
}

function numberOf(data: Data, key: string): number {
  const v = data[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail('ENCODE_INPUT_INVALID', `${key} must be a number`);
  return v;
}

/** Fields a meter may fill with FF for "no data": their value decodes as null. */
function noData(f: Field, b: Uint8Array, off: number): boolean {
  if (f.kind === 'measure' || f.kind === 'bcd') return isFilled(b, off, f.len, FILL_FF);
  return f.kind === 'time' && isFilled(b, off, 7, FILL_FF);
}

/**
 * Reads one field into `out`. A measure, BCD or time field filled with FF (no data) becomes null
 * and its key is pushed onto `missing`; the measure keeps its unit byte.
 */
export function decodeField(f: Field, b: Uint8Array, off: number, out: Data, missing: string[] = []): void {
  if (noData(f, b, off)) {
    missing.push(f.key);
    out[f.key] = null;
    if (f.kind === 'measure') out[`${f.key}_unit`] = unitName(b[off + f.len]);
    if (f.kind === 'time') out[`${f.key}_digits`] = bcdLeToDigits(b, off, 7, true);
    return;
  }
  switch (f.kind) {
    case 'measure': {
      const value = bcdLeToNumber(b, off, f.len, f.decimals);
      const code = b[off + f.len];
      out[f.key] = value;
      out[`${f.key}_unit`] = unitName(code);
      const u = units[code];
      if (u) out[`${f.key}_${baseSuffix[u.base]}`] = Number((value * u.factor).toPrecision(12));
      return;
    }
    case 'bcd':
      out[f.key] = bcdLeToNumber(b, off, f.len, f.decimals);
      return;
    case 'uint':
      out[f.key] = readUintLE(b, off, f.len);
      return;
    case 'hex':
      out[f.key] = bytesToHex(b.subarray(off, off + f.len));
      return;
    case 'time': {
      const digits = bcdLeToDigits(b, off, 7, true);
      out[f.key] = isoFromDigits(digits);
      out[`${f.key}_digits`] = digits;
      return;
    }
    case 'status':
      out[f.key] = decodeStatus(b[off], b[off + 1]);
      return;
    case 'valve':
      out[f.key] = valveCommands[b[off]] ?? bytesToHex(b.subarray(off, off + 1));
      return;
    case 'address':
      out[f.key] = bcdLeToDigits(b, off, 7, true);
      return;
  }
}

export function encodeField(f: Field, data: Data): Uint8Array {
  switch (f.kind) {
    case 'measure': {
      const unit = data[`${f.key}_unit`] ?? f.defaultUnit;
      const code = typeof unit === 'string' ? unitCode(unit) : undefined;
      if (code === undefined)
        fail('ENCODE_INPUT_INVALID', `${f.key}_unit "${String(unit)}" is not a known unit`);
      const out = new Uint8Array(f.len + 1);
      // null: the meter's FF no-data fill
      out.set(
        data[f.key] === null
          ? filled(f.len, FILL_FF)
          : numberToBcdLe(numberOf(data, f.key), f.len, f.decimals),
      );
      out[f.len] = code;
      return out;
    }
    case 'bcd':
      if (data[f.key] === null) return filled(f.len, FILL_FF);
      return numberToBcdLe(numberOf(data, f.key), f.len, f.decimals);
    case 'uint': {
      const v = numberOf(data, f.key);
      if (!Number.isInteger(v) || v < 0 || v >= 256 ** f.len)
        fail('ENCODE_INPUT_INVALID', `${f.key} does not fit ${f.len} byte(s)`);
      return writeUintLE(v, f.len);
    }
    case 'hex': {
      const v = data[f.key];
      if (typeof v !== 'string' || !new RegExp(`^[0-9A-Fa-f]{${f.len * 2}}$`).test(v)) {
        fail('ENCODE_INPUT_INVALID', `${f.key} must be ${f.len * 2} hex digits`);
      }
      return Uint8Array.from(v.match(/../g)!.map((h) => Number.parseInt(h, 16)));
    }
    case 'time':
      return encodeTime(data, f.key);
    case 'status':
      return encodeStatus(data[f.key] ?? {});
    case 'valve': {
      const v = data[f.key];
      if (v === 'open') return Uint8Array.of(0x55);
      if (v === 'close') return Uint8Array.of(0x99);
      return hexDigitsToLe(v, 1, `${f.key} (open, close or a vendor code as 2 hex digits)`);
    }
    case 'address':
      return hexDigitsToLe(data[f.key], 7, f.key);
  }
}

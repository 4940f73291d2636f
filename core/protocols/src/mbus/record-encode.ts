import { concat, fail, hexToBytes } from '../common/index.ts';
import { writeDataField } from './data-field.ts';
import { encodeTypeF, encodeTypeG, encodeTypeI } from './date.ts';
import { encodeDif } from './dif.ts';
import type { DataCoding, MbusRecord, RecordFunction } from './types.ts';
import { removeExponent } from './value.ts';
import { parseVif } from './vif.ts';
import { fbVif, fdVif } from './vif-extension.ts';
import { primaryVif, type VifEntry } from './vif-primary.ts';

/**
 * What encodeRecord takes: the shape decode gives. With `dif`, `vif` and `raw` the bytes are sent as
 * they are (byte-exact re-encoding). Otherwise the record is built from `value` (normalised, as decode
 * reports it) or `rawValue`, with the VIF given as hex in `vif` or looked up from quantity/unit/exponent.
 */
export interface RecordInput {
  dif?: string;
  vif?: string;
  raw?: string;
  coding?: DataCoding;
  storage?: number;
  tariff?: number;
  subunit?: number;
  function?: RecordFunction;
  quantity?: string;
  unit?: string;
  exponent?: number;
  value?: number | string | null;
  rawValue?: number | string | null;
  invalid?: boolean;
}

const hexOrEmpty = (h: string): Uint8Array => (h === '' ? new Uint8Array(0) : hexToBytes(h));

function matches(e: VifEntry | undefined, r: RecordInput): boolean {
  return (
    !!e &&
    e.quantity === r.quantity &&
    e.unit === r.unit &&
    (r.exponent === undefined || e.exponent === r.exponent)
  );
}

/** Finds the VIF bytes for a quantity/unit/exponent in the primary, FD and FB tables. */
export function findVif(r: RecordInput): Uint8Array {
  for (let code = 0; code < 0x7b; code++) if (matches(primaryVif(code), r)) return Uint8Array.of(code);
  for (let code = 0; code < 0x80; code++) if (matches(fdVif(code), r)) return Uint8Array.of(0xfd, code);
  for (let code = 0; code < 0x80; code++) if (matches(fbVif(code), r)) return Uint8Array.of(0xfb, code);
  return fail('ENCODE_INPUT_INVALID', `no VIF for ${r.quantity} in ${r.unit} x10^${r.exponent}`);
}

function defaultCoding(raw: number | string): DataCoding {
  if (typeof raw === 'string') return 'lvar';
  if (!Number.isInteger(raw)) return 'real32';
  const a = Math.abs(raw);
  if (a < 2 ** 31) return 'int32';
  if (a < 2 ** 47) return 'int48';
  return 'int64';
}

const DATE_CODING: Record<number, DataCoding> = { 2: 'int16', 4: 'int32', 6: 'int48' };

function dateBytes(
  value: number | string | null | undefined,
  coding: DataCoding | undefined,
  isDate: boolean,
  invalid: boolean,
): Uint8Array {
  if (typeof value !== 'string') fail('ENCODE_INPUT_INVALID', 'a date record needs an ISO string value');
  const c = coding ?? (isDate ? 'int16' : 'int32');
  if (c === 'int16') return encodeTypeG(value);
  if (c === 'int32') return encodeTypeF(value, invalid);
  if (c === 'int48') return encodeTypeI(value, invalid);
  return fail('ENCODE_INPUT_INVALID', `dates are coded int16, int32 or int48, not ${c}`);
}

export function encodeRecord(r: RecordInput): Uint8Array {
  if (!r || typeof r !== 'object') fail('ENCODE_INPUT_INVALID', 'a record must be an object');
  for (const k of ['dif', 'vif', 'raw'] as const) {
    if (r[k] !== undefined && typeof r[k] !== 'string')
      fail('ENCODE_INPUT_INVALID', `${k} must be a hex string`);
  }
  if (r.dif !== undefined && r.vif !== undefined && r.raw !== undefined) {
    return concat([hexToBytes(r.dif), hexToBytes(r.vif), hexOrEmpty(r.raw)]);
  }
  const vifBytes = r.vif !== undefined ? hexToBytes(r.vif) : findVif(r);
  const vif = parseVif(vifBytes, 0);
  if (vif.end !== vifBytes.length)
    fail('ENCODE_INPUT_INVALID', `VIF "${r.vif}" has bytes after its last VIFE`);
  const fn = r.function ?? 'instantaneous';
  const isTime = vif.entry.kind === 'date' || vif.entry.kind === 'datetime';
  let data: Uint8Array;
  let coding: DataCoding;
  if (isTime && r.rawValue === undefined) {
    data = dateBytes(r.value, r.coding, vif.entry.kind === 'date', r.invalid ?? false);
    coding = r.coding ?? DATE_CODING[data.length];
  } else {
    let raw = r.rawValue;
    if (raw === undefined) {
      const v = r.value;
      raw =
        typeof v === 'number' && r.coding !== 'real32'
          ? removeExponent(v / (vif.entry.multiplier ?? 1), vif.exponent)
          : v;
      if (typeof v === 'number' && r.coding === 'real32')
        raw = v / (vif.entry.multiplier ?? 1) / 10 ** vif.exponent;
    }
    if (raw === undefined) fail('ENCODE_INPUT_INVALID', 'a record needs value or rawValue');
    coding = r.coding ?? (raw === null ? 'none' : defaultCoding(raw));
    data = writeDataField(coding, raw);
  }
  return concat([encodeDif(coding, fn, r.storage ?? 0, r.tariff ?? 0, r.subunit ?? 0), vifBytes, data]);
}

export interface RecordsInput {
  records?: readonly RecordInput[];
  fillers?: readonly number[];
  globalReadout?: number;
  manufacturerData?: string;
  moreRecordsFollow?: boolean;
}

/** Record area: records with idle fillers at their positions, then 0F/1F and manufacturer data. */
export function encodeRecords(input: RecordsInput): Uint8Array {
  const parts: Uint8Array[] = [];
  const records = input.records ?? [];
  const fillers = input.fillers ?? [];
  if (!Array.isArray(records) || !Array.isArray(fillers))
    fail('ENCODE_INPUT_INVALID', 'records and fillers must be arrays');
  for (let i = 0; i <= records.length; i++) {
    if (input.globalReadout === i) parts.push(Uint8Array.of(0x7f));
    for (const f of fillers) if (f === i) parts.push(Uint8Array.of(0x2f));
    if (i < records.length) parts.push(encodeRecord(records[i]));
  }
  if (input.manufacturerData !== undefined || input.moreRecordsFollow) {
    parts.push(
      Uint8Array.of(input.moreRecordsFollow ? 0x1f : 0x0f),
      hexOrEmpty(input.manufacturerData ?? ''),
    );
  }
  return concat(parts);
}

export type { MbusRecord };

import { bytesToHex, fail } from '../common/index.ts';
import { readDataField, shortestFloat32 } from './data-field.ts';
import { parseDif } from './dif.ts';
import type { MbusRecord } from './types.ts';
import { normalise } from './value.ts';
import { parseVif } from './vif.ts';

/** Variable data records (EN 13757-3): DIF [DIFE] VIF [VIFE] data, until the end or a special DIF. */

export interface DecodedRecords {
  records: MbusRecord[];
  /** positions in `records` before which a 2F idle filler was sent */
  fillers: number[];
  manufacturerData?: string;
  moreRecordsFollow?: boolean;
  /** DIF 7F (global readout request): position in `records` where it was sent */
  globalReadout?: number;
}

/** 1 Wh = 3600 J, so energy in J and power in J/h also read in Wh and W. */
const JOULE_TO: Record<string, string> = { J: 'Wh', 'J/h': 'W' };

const INTEGER_CODINGS = new Set(['int16', 'int24', 'int32', 'int48']);

/** Decodes one record at `offset`; returns it and the offset after it. */
export function decodeRecord(b: Uint8Array, offset: number): { record: MbusRecord; end: number } {
  const dif = parseDif(b, offset);
  const vif = parseVif(b, dif.end);
  const field = readDataField(b, vif.end, dif.coding);
  const end = vif.end + field.length;
  const norm = normalise(vif.entry, vif.exponent, field, INTEGER_CODINGS.has(dif.coding));
  const record: MbusRecord = {
    dif: dif.hex,
    vif: vif.hex,
    coding: dif.coding,
    storage: dif.storage,
    tariff: dif.tariff,
    subunit: dif.subunit,
    function: dif.function,
    quantity: vif.entry.quantity,
    unit: vif.unit,
    exponent: vif.exponent,
    value: norm.value,
    rawValue:
      dif.coding === 'real32' && typeof field.value === 'number' ? shortestFloat32(field.value) : field.value,
    raw: bytesToHex(b.subarray(vif.end, end)),
  };
  const toWh = typeof norm.value === 'number' ? JOULE_TO[record.unit] : undefined;
  if (toWh) record.converted = { value: (norm.value as number) / 3600, unit: toWh };
  if (norm.text !== undefined) record.text = norm.text;
  if (norm.invalid !== undefined) record.invalid = norm.invalid;
  if (vif.plainUnit !== undefined) record.plainUnit = vif.plainUnit;
  if (vif.vife.length) record.vife = vif.vife;
  if (vif.entry.kind === 'id' && typeof field.value === 'number' && dif.coding.startsWith('bcd')) {
    record.text = String(field.value).padStart(field.length * 2, '0');
  }
  return { record, end };
}

/** Decodes the record area `b[offset..]` of a variable data structure. */
export function decodeRecords(b: Uint8Array, offset = 0): DecodedRecords {
  const out: DecodedRecords = { records: [], fillers: [] };
  let o = offset;
  while (o < b.length) {
    const dif = b[o];
    if ((dif & 0x0f) === 0x0f) {
      if (dif === 0x2f) {
        out.fillers.push(out.records.length);
        o++;
        continue;
      }
      if (dif === 0x0f || dif === 0x1f) {
        out.manufacturerData = bytesToHex(b.subarray(o + 1));
        if (dif === 0x1f) out.moreRecordsFollow = true;
        return out;
      }
      if (dif === 0x7f) {
        out.globalReadout = out.records.length;
        o++;
        continue;
      }
      fail('FRAME_FIELD_INVALID', `reserved special function DIF 0x${dif.toString(16).toUpperCase()}`, o);
    }
    const { record, end } = decodeRecord(b, o);
    out.records.push(record);
    o = end;
  }
  return out;
}

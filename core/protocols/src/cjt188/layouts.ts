import { type Data, type Field, fieldSize } from './fields.ts';
import type { MeterFamily } from './tables.ts';

/** Body layout after DI0 DI1 SER. `heat` marks the heat-meter variant of a DI. */
export interface Layout {
  readonly fields: readonly Field[];
  readonly heat?: boolean;
}

const volume = (key: string): Field => ({ key, kind: 'measure', len: 4, decimals: 2, defaultUnit: 'm3' });
const heat = (key: string): Field => ({ key, kind: 'measure', len: 4, decimals: 2, defaultUnit: 'kWh' });
const money = (key: string): Field => ({ key, kind: 'bcd', len: 4, decimals: 2 });
const day = (key: string): Field => ({ key, kind: 'bcd', len: 1, decimals: 0 });
const status: Field = { key: 'status', kind: 'status' };
const realtime: Field = { key: 'realtime', kind: 'time' };

const EMPTY: Layout = { fields: [] };
const STATUS_ONLY: Layout = { fields: [status] };

/** 901F reply, water/gas (L=0x16): current and settlement-day cumulative flow, time, ST. */
const WATER_CURRENT: Layout = {
  fields: [volume('current_cumulative'), volume('settlement_cumulative'), realtime, status],
};

/** 901F reply, heat/cooling (L=0x2E). */
const HEAT_CURRENT: Layout = {
  heat: true,
  fields: [
    heat('settlement_heat'),
    heat('current_heat'),
    { key: 'heat_power', kind: 'measure', len: 4, decimals: 2, defaultUnit: 'kW' },
    { key: 'flow_rate', kind: 'measure', len: 4, decimals: 4, defaultUnit: 'm3/h' },
    volume('current_cumulative'),
    { key: 'supply_temp_C', kind: 'bcd', len: 3, decimals: 2 },
    { key: 'return_temp_C', kind: 'bcd', len: 3, decimals: 2 },
    { key: 'working_hours', kind: 'bcd', len: 3, decimals: 0 },
    realtime,
    status,
  ],
};

/** D120..D12B: settlement-day reading of the 1st..12th previous month. */
const HISTORY_WATER: Layout = { fields: [volume('settlement_cumulative')] };
const HISTORY_HEAT: Layout = { heat: true, fields: [heat('settlement_heat')] };

/** 8102 reply: three-step price table (price XXXX.XX, step volume XXXXXX). */
const PRICE_TABLE_FIELDS: Field[] = [
  { key: 'price1', kind: 'bcd', len: 3, decimals: 2 },
  { key: 'usage1', kind: 'bcd', len: 3, decimals: 0 },
  { key: 'price2', kind: 'bcd', len: 3, decimals: 2 },
  { key: 'usage2', kind: 'bcd', len: 3, decimals: 0 },
  { key: 'price3', kind: 'bcd', len: 3, decimals: 2 },
];
const PRICE_TABLE: Layout = { fields: PRICE_TABLE_FIELDS };
/** A010: price table plus the day it takes effect. */
const PRICE_TABLE_WRITE: Layout = { fields: [...PRICE_TABLE_FIELDS, day('start_day')] };

const SETTLEMENT_DAY: Layout = { fields: [day('settlement_day')] };
const READING_DAY: Layout = { fields: [day('reading_day')] };

/** 8105 reply: purchase sequence, this purchase, total purchased, remaining, ST. */
const PURCHASE_READ: Layout = {
  fields: [
    { key: 'purchase_seq', kind: 'uint', len: 1 },
    money('purchase_amount'),
    money('total_purchased'),
    money('remaining_amount'),
    status,
  ],
};
/** A013 request and its reply: purchase sequence and amount. */
const PURCHASE_WRITE: Layout = {
  fields: [{ key: 'purchase_seq', kind: 'uint', len: 1 }, money('purchase_amount')],
};

const KEY_VERSION: Layout = { fields: [{ key: 'key_version', kind: 'uint', len: 1 }] };
const NEW_KEY: Layout = {
  fields: [
    { key: 'key_version', kind: 'uint', len: 1 },
    { key: 'key', kind: 'hex', len: 8 },
  ],
};
const STANDARD_TIME: Layout = { fields: [realtime] };
/** A016: the mechanical counter reading the electronic one is set to. */
const SYNC_DATA: Layout = { fields: [volume('current_cumulative')] };
const VALVE: Layout = { fields: [{ key: 'valve_cmd', kind: 'valve' }] };
const NEW_ADDRESS: Layout = { fields: [{ key: 'new_address', kind: 'address' }] };

const historyDis = [
  'D120',
  'D121',
  'D122',
  'D123',
  'D124',
  'D125',
  'D126',
  'D127',
  'D128',
  'D129',
  'D12A',
  'D12B',
];

/** Key: `req|rep:<function hex>:<DI>`. */
const table: Record<string, readonly Layout[]> = {
  'req:01:901F': [EMPTY],
  'req:01:8102': [EMPTY],
  'req:01:8103': [EMPTY],
  'req:01:8104': [EMPTY],
  'req:01:8105': [EMPTY],
  'req:09:8106': [EMPTY],
  'req:03:810A': [EMPTY],
  'rep:81:901F': [WATER_CURRENT, HEAT_CURRENT],
  'rep:81:8102': [PRICE_TABLE],
  'rep:81:8103': [SETTLEMENT_DAY],
  'rep:81:8104': [READING_DAY],
  'rep:81:8105': [PURCHASE_READ],
  'rep:89:8106': [KEY_VERSION],
  'rep:83:810A': [EMPTY],
  'req:04:A010': [PRICE_TABLE_WRITE],
  'req:04:A011': [SETTLEMENT_DAY],
  'req:04:A012': [READING_DAY],
  'req:04:A013': [PURCHASE_WRITE],
  'req:04:A014': [NEW_KEY],
  'req:04:A015': [STANDARD_TIME],
  'req:04:A016': [SYNC_DATA],
  'req:04:A017': [VALVE],
  'rep:84:A010': [EMPTY],
  'rep:84:A011': [EMPTY],
  'rep:84:A012': [EMPTY],
  'rep:84:A013': [PURCHASE_WRITE],
  'rep:84:A014': [KEY_VERSION],
  'rep:84:A015': [EMPTY],
  'rep:84:A016': [STATUS_ONLY],
  'rep:84:A017': [STATUS_ONLY],
  'req:15:A018': [NEW_ADDRESS],
  'rep:95:A018': [EMPTY],
  'req:16:A016': [SYNC_DATA],
  'rep:96:A016': [STATUS_ONLY],
};
for (const di of historyDis) {
  table[`req:01:${di}`] = [EMPTY];
  table[`rep:81:${di}`] = [HISTORY_WATER, HISTORY_HEAT];
}

export function layoutSize(l: Layout): number {
  let n = 0;
  for (const f of l.fields) n += fieldSize(f);
  return n;
}

/** Candidate layouts for a control code and DI; an abnormal reply carries only ST. */
export function layoutsFor(control: number, di: string): readonly Layout[] {
  if (control & 0x40) return [STATUS_ONLY];
  const dir = control & 0x80 ? 'rep' : 'req';
  return table[`${dir}:${(control & 0xbf).toString(16).toUpperCase().padStart(2, '0')}:${di}`] ?? [];
}

/** Decode side: the candidate whose size matches, preferring the heat variant on heat meters. */
export function pickByLength(
  cands: readonly Layout[],
  bodyLen: number,
  family: MeterFamily,
): Layout | undefined {
  const fit = cands.filter((l) => layoutSize(l) === bodyLen);
  return fit.find((l) => Boolean(l.heat) === (family === 'heat')) ?? fit[0];
}

function present(f: Field, data: Data): boolean {
  if (f.kind === 'status') return true;
  if (f.kind === 'time') return data[f.key] != null || data[`${f.key}_digits`] != null;
  return data[f.key] !== undefined;
}

/**
 * Prefix match for a reply longer than every layout (vendor bytes after the known fields): the
 * largest non-empty candidate that fits, preferring the meter's family. The rest becomes `extra`.
 */
export function pickByPrefix(
  cands: readonly Layout[],
  bodyLen: number,
  family: MeterFamily,
): Layout | undefined {
  const fit = cands
    .filter((l) => layoutSize(l) > 0 && layoutSize(l) < bodyLen)
    .sort((a, b) => layoutSize(b) - layoutSize(a));
  return fit.find((l) => Boolean(l.heat) === (family === 'heat')) ?? fit[0];
}

/** Encode side: the first candidate whose fields are all given (heat first on heat meters). */
export function pickByData(cands: readonly Layout[], data: Data, family: MeterFamily): Layout | undefined {
  const ordered = [...cands].sort(
    (a, b) =>
      Number(Boolean(b.heat) === (family === 'heat')) - Number(Boolean(a.heat) === (family === 'heat')),
  );
  return ordered.find((l) => l.fields.every((f) => present(f, data)));
}

import type { MbusRecord } from '@quadmeter/protocols/mbus/index.ts';
import { scaledDecimal } from '@quadmeter/sdk/serial';

/** Meter family from the EN 13757-3 medium byte. */
export function familyOf(medium: number | undefined): 'heat' | 'water' | 'gas' | 'other' {
  if (medium === undefined) return 'other';
  if ([0x04, 0x0c, 0x0a, 0x0b, 0x0d].includes(medium)) return 'heat';
  if ([0x06, 0x07, 0x15, 0x16, 0x17, 0x28].includes(medium)) return 'water';
  if (medium === 0x03) return 'gas';
  return 'other';
}

interface Rule {
  quantity: string;
  unit: string;
  /** register key per family */
  key: Partial<Record<'heat' | 'water' | 'gas', string>>;
  /** exponent shift into the register's unit (Wh → kWh: -3) */
  shift: number;
  /** places the meter type keeps; more are cut off (meters truncate, never round) */
  decimals: number;
}

const RULES: readonly Rule[] = [
  { quantity: 'energy', unit: 'Wh', key: { heat: 'heatEnergy' }, shift: -3, decimals: 2 },
  { quantity: 'volume', unit: 'm^3', key: { heat: 'volume' }, shift: 0, decimals: 2 },
  {
    quantity: 'volume',
    unit: 'm^3',
    key: { water: 'totalVolume', gas: 'workingVolume' },
    shift: 0,
    decimals: 3,
  },
  {
    quantity: 'volume flow',
    unit: 'm^3/h',
    key: { heat: 'flowRate', water: 'flowRate', gas: 'flowRate' },
    shift: 0,
    decimals: 3,
  },
  { quantity: 'power', unit: 'W', key: { heat: 'power' }, shift: -3, decimals: 2 },
  { quantity: 'flow temperature', unit: '°C', key: { heat: 'supplyTemperature' }, shift: 0, decimals: 2 },
  { quantity: 'return temperature', unit: '°C', key: { heat: 'returnTemperature' }, shift: 0, decimals: 2 },
];

/** A decimal string cut to `places` decimals. */
function cut(s: string | null, places: number): string | null {
  if (s === null) return null;
  const [i, f = ''] = s.split('.');
  const kept = f.slice(0, places).replace(/0+$/, '');
  return kept ? `${i}.${kept}` : i;
}

/** The value of a record in its rule's unit, exactly, from the coded integer and the exponent. */
function recordValue(r: MbusRecord, rule: Rule): string | null {
  if (r.value === null || typeof r.rawValue !== 'number' || !Number.isInteger(r.rawValue)) return null;
  return cut(scaledDecimal(r.rawValue, (r.exponent ?? 0) + rule.shift), rule.decimals);
}

/** Records of one storage number (0: current), instantaneous, tariff 0 and subunit 0 only. */
export function registersOf(records: readonly MbusRecord[], medium: number | undefined, storage: number) {
  const family = familyOf(medium);
  const out: Record<string, string | null> = {};
  if (family === 'other') return out;
  for (const r of records) {
    if (r.storage !== storage || r.tariff !== 0 || r.subunit !== 0 || r.function !== 'instantaneous')
      continue;
    const rule = RULES.find((x) => x.quantity === r.quantity && x.unit === r.unit && x.key[family]);
    const key = rule?.key[family];
    if (rule && key && !(key in out)) out[key] = recordValue(r, rule);
  }
  return out;
}

/** The date (6C) or date-time (6D) record of a storage number, as its text. */
export function dateOf(records: readonly MbusRecord[], storage: number): string | undefined {
  const r = records.find(
    (x) => x.storage === storage && (x.quantity === 'date' || x.quantity === 'date time') && !x.invalid,
  );
  // the codec gives a wall time with a bare Z (no zone is on the wire): the meter's own clock
  return typeof r?.value === 'string' ? r.value.replace(/Z$/, '') : undefined;
}

/**
 * Code tables of CJ/T 188-2004: meter types (T), control-code functions (C bits D5..D0), data
 * identifiers (DI) and the unit byte that follows every metered value.
 */

/** T: 1x water, 2x heat, 3x gas, 4x other (electricity); AA = any type (wildcard). */
export const meterTypeNames: Readonly<Record<number, string>> = {
  0x10: 'cold water',
  0x11: 'hot water',
  0x12: 'drinking water',
  0x13: 'reclaimed water',
  0x20: 'heat',
  0x21: 'cooling',
  0x30: 'gas',
  0x40: 'electricity',
  0xaa: 'any',
};

export type MeterFamily = 'water' | 'heat' | 'gas' | 'other' | 'any';

export function meterFamily(t: number): MeterFamily {
  if (t === 0xaa) return 'any';
  switch (t >> 4) {
    case 1:
      return 'water';
    case 2:
      return 'heat';
    case 3:
      return 'gas';
    default:
      return 'other';
  }
}

/** C bits D5..D0. Requests carry D7=0; normal replies set D7; abnormal replies set D7 and D6. */
export const functionNames: Readonly<Record<number, string>> = {
  0x01: 'read data',
  0x03: 'read address',
  0x04: 'write data',
  0x09: 'read key version',
  0x15: 'write address',
  0x16: 'write sync data',
};

export const CONTROL_REPLY = 0x80;
export const CONTROL_ABNORMAL = 0x40;

/** Data identifiers by their conventional name (DI1 DI0 as the standard prints them, e.g. 901F). */
export const diNames: Readonly<Record<string, string>> = {
  '901F': 'current data',
  D120: 'history month 1',
  D121: 'history month 2',
  D122: 'history month 3',
  D123: 'history month 4',
  D124: 'history month 5',
  D125: 'history month 6',
  D126: 'history month 7',
  D127: 'history month 8',
  D128: 'history month 9',
  D129: 'history month 10',
  D12A: 'history month 11',
  D12B: 'history month 12',
  '8102': 'price table',
  '8103': 'settlement day',
  '8104': 'reading day',
  '8105': 'purchase amount',
  '8106': 'key version',
  '810A': 'address',
  A010: 'write price table',
  A011: 'write settlement day',
  A012: 'write reading day',
  A013: 'write purchase amount',
  A014: 'write new key',
  A015: 'write standard time',
  A016: 'write sync data',
  A017: 'valve control',
  A018: 'write address',
  A019: 'factory enable',
};

export function isKnownDi(di: number): boolean {
  return diNames[di.toString(16).toUpperCase().padStart(4, '0')] !== undefined;
}

export interface UnitInfo {
  /** display name of the unit byte */
  readonly name: string;
  /** quantity family the value is normalised to */
  readonly base: 'kWh' | 'kW' | 'm3' | 'm3/h';
  /** multiply a value in `name` by this to get `base` */
  readonly factor: number;
}

const MJ_PER_KWH = 3.6;

/** Unit byte: standard table plus the decade multiples heat meters use (0F/10, 2A/2B, 33/34). */
export const units: Readonly<Record<number, UnitInfo>> = {
  0x01: { name: 'J', base: 'kWh', factor: 1e-6 / MJ_PER_KWH },
  0x02: { name: 'Wh', base: 'kWh', factor: 1e-3 },
  0x05: { name: 'kWh', base: 'kWh', factor: 1 },
  0x08: { name: 'MWh', base: 'kWh', factor: 1e3 },
  0x0a: { name: 'MWh*100', base: 'kWh', factor: 1e5 },
  0x0b: { name: 'kJ', base: 'kWh', factor: 1e-3 / MJ_PER_KWH },
  0x0e: { name: 'MJ', base: 'kWh', factor: 1 / MJ_PER_KWH },
  0x0f: { name: 'MJ*10', base: 'kWh', factor: 10 / MJ_PER_KWH },
  0x10: { name: 'MJ*100', base: 'kWh', factor: 100 / MJ_PER_KWH },
  0x11: { name: 'GJ', base: 'kWh', factor: 1e3 / MJ_PER_KWH },
  0x13: { name: 'GJ*100', base: 'kWh', factor: 1e5 / MJ_PER_KWH },
  0x14: { name: 'W', base: 'kW', factor: 1e-3 },
  0x17: { name: 'kW', base: 'kW', factor: 1 },
  0x1a: { name: 'MW', base: 'kW', factor: 1e3 },
  0x29: { name: 'L', base: 'm3', factor: 1e-3 },
  0x2a: { name: 'L*10', base: 'm3', factor: 1e-2 },
  0x2b: { name: 'L*100', base: 'm3', factor: 1e-1 },
  0x2c: { name: 'm3', base: 'm3', factor: 1 },
  0x32: { name: 'L/h', base: 'm3/h', factor: 1e-3 },
  0x33: { name: 'L/h*10', base: 'm3/h', factor: 1e-2 },
  0x34: { name: 'L/h*100', base: 'm3/h', factor: 1e-1 },
  0x35: { name: 'm3/h', base: 'm3/h', factor: 1 },
};

/** Unit byte for a unit name, or for `0xNN` (how decode reports a code outside the table). */
export function unitCode(name: string): number | undefined {
  for (const [code, u] of Object.entries(units)) if (u.name === name) return Number(code);
  const m = /^0x([0-9a-f]{2})$/i.exec(name);
  return m ? Number.parseInt(m[1], 16) : undefined;
}

export function unitName(code: number): string {
  return units[code]?.name ?? `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Valve command byte of DI A017; vendors add their own codes (e.g. 66/77), kept as hex. */
export const valveCommands: Readonly<Record<number, 'open' | 'close'>> = { 0x55: 'open', 0x99: 'close' };

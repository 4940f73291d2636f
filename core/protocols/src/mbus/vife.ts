/** Combinable (orthogonal) VIFE table of EN 13757-3, applied after a primary or extended VIF. */

export interface VifeEffect {
  name: string;
  /** added to the decimal exponent (multiplicative correction factor) */
  exponent?: number;
  /** appended to the unit (per time / per quantity) */
  unitSuffix?: string;
}

/** Error codes a slave may put in the first VIFE (E000 xxxx, E001 xxxx). */
const RECORD_ERRORS = new Map<number, string>([
  [0x00, 'no error'],
  [0x01, 'too many DIFEs'],
  [0x02, 'storage number not implemented'],
  [0x03, 'unit number not implemented'],
  [0x04, 'tariff number not implemented'],
  [0x05, 'function not implemented'],
  [0x06, 'data class not implemented'],
  [0x07, 'data size not implemented'],
  [0x0b, 'too many VIFEs'],
  [0x0c, 'illegal VIF-group'],
  [0x0d, 'illegal VIF-exponent'],
  [0x0e, 'VIF/DIF mismatch'],
  [0x0f, 'unimplemented action'],
  [0x15, 'no data available'],
  [0x16, 'data overflow'],
  [0x17, 'data underflow'],
  [0x18, 'data error'],
  [0x1c, 'premature end of record'],
]);

const PER: readonly [string, string][] = [
  ['per second', '/s'],
  ['per minute', '/min'],
  ['per hour', '/h'],
  ['per day', '/d'],
  ['per week', '/week'],
  ['per month', '/month'],
  ['per year', '/year'],
  ['per revolution / measurement', '/measurement'],
  ['increment per input pulse on channel 0', '/pulse'],
  ['increment per input pulse on channel 1', '/pulse'],
  ['increment per output pulse on channel 0', '/pulse'],
  ['increment per output pulse on channel 1', '/pulse'],
  ['per litre', '/l'],
  ['per m^3', '/m^3'],
  ['per kg', '/kg'],
  ['per K', '/K'],
  ['per kWh', '/kWh'],
  ['per GJ', '/GJ'],
  ['per kW', '/kW'],
  ['per (K*l)', '/(K*l)'],
  ['per V', '/V'],
  ['per A', '/A'],
  ['multiplied by s', '*s'],
  ['multiplied by s/V', '*s/V'],
  ['multiplied by s/A', '*s/A'],
];

const NAMED = new Map<number, string>([
  [0x39, 'start date(/time) of'],
  [0x3a, 'uncorrected unit'],
  [0x3b, 'accumulation only if positive contributions'],
  [0x3c, 'accumulation of abs value only if negative contributions'],
  [0x3d, 'non-metric unit'],
  [0x3e, 'value at base conditions'],
  [0x3f, 'OBIS declaration'],
  [0x40, 'lower limit value'],
  [0x48, 'upper limit value'],
  [0x41, 'number of exceeds of lower limit'],
  [0x49, 'number of exceeds of upper limit'],
  [0x7c, 'extension of combinable VIFE'],
  [0x7e, 'future value'],
  [0x7f, 'manufacturer specific'],
]);

const DURATION_UNIT = ['s', 'min', 'h', 'd'] as const;

export function combinableVife(code: number): VifeEffect {
  if (code <= 0x1f) return { name: `record error: ${RECORD_ERRORS.get(code) ?? 'reserved'}` };
  if (code <= 0x38) {
    const [name, unitSuffix] = PER[code - 0x20];
    return { name, unitSuffix };
  }
  const named = NAMED.get(code);
  if (named) return { name: named };
  const limit = code & 0x08 ? 'upper' : 'lower';
  const which = code & 0x04 ? 'last' : 'first';
  const edge = code & 0x01 ? 'end' : 'begin';
  if ((code & 0xf2) === 0x42) return { name: `date(/time) of ${edge} of ${which} ${limit} limit exceed` };
  if ((code & 0xf0) === 0x50) {
    return { name: `duration of ${which} ${limit} limit exceed (${DURATION_UNIT[code & 0x03]})` };
  }
  if (code >= 0x60 && code <= 0x67) return { name: `duration of ${which} (${DURATION_UNIT[code & 0x03]})` };
  if (code === 0x6a || code === 0x6b || code === 0x6e || code === 0x6f)
    return { name: `date(/time) of ${edge} of ${which}` };
  if (code >= 0x70 && code <= 0x77) {
    const exponent = (code & 0x07) - 6;
    return { name: `multiplicative correction factor 10^${exponent}`, exponent };
  }
  if (code >= 0x78 && code <= 0x7b)
    return { name: `additive correction constant 10^${(code & 0x03) - 3} x unit` };
  if (code === 0x7d) return { name: 'multiplicative correction factor 10^3', exponent: 3 };
  return { name: `reserved VIFE ${code.toString(16).toUpperCase().padStart(2, '0')}` };
}

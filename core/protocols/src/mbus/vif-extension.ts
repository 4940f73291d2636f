import { DURATION_SECONDS, type VifEntry } from './vif-primary.ts';

/** VIF extension tables reached through VIF FD (main extension) and FB (first extension), EN 13757-3. */

const plain = (quantity: string, kind?: VifEntry['kind']): VifEntry =>
  kind ? { quantity, unit: '', exponent: 0, kind } : { quantity, unit: '', exponent: 0 };

const FD_FIXED = new Map<number, VifEntry>([
  [0x08, plain('access number')],
  [0x09, plain('medium')],
  [0x0a, plain('manufacturer')],
  [0x0b, plain('parameter set identification')],
  [0x0c, plain('model version')],
  [0x0d, plain('hardware version')],
  [0x0e, plain('firmware version')],
  [0x0f, plain('software version')],
  [0x10, plain('customer location')],
  [0x11, plain('customer')],
  [0x12, plain('access code user')],
  [0x13, plain('access code operator')],
  [0x14, plain('access code system operator')],
  [0x15, plain('access code developer')],
  [0x16, plain('password')],
  [0x17, plain('error flags')],
  [0x18, plain('error mask')],
  [0x19, plain('security key')],
  [0x1a, plain('digital output')],
  [0x1b, plain('digital input')],
  [0x1c, { quantity: 'baud rate', unit: 'Bd', exponent: 0 }],
  [0x1d, { quantity: 'response delay time', unit: 'bit times', exponent: 0 }],
  [0x1e, plain('retry')],
  [0x1f, plain('remote control')],
  [0x20, plain('first storage number for cyclic storage')],
  [0x21, plain('last storage number for cyclic storage')],
  [0x22, plain('size of storage block')],
  [0x23, plain('descriptor for tariff and subunit')],
  [0x28, { quantity: 'storage interval', unit: 'month', exponent: 0 }],
  [0x29, { quantity: 'storage interval', unit: 'year', exponent: 0 }],
  [0x2a, plain('operator specific data')],
  [0x2b, { quantity: 'time point second', unit: 's', exponent: 0 }],
  [0x30, plain('start date time of tariff', 'datetime')],
  [0x38, { quantity: 'period of tariff', unit: 'month', exponent: 0 }],
  [0x39, { quantity: 'period of tariff', unit: 'year', exponent: 0 }],
  [0x3a, plain('dimensionless')],
  [0x3b, plain('register number')],
  [0x60, plain('reset counter')],
  [0x61, plain('cumulation counter')],
  [0x62, plain('control signal')],
  [0x63, plain('day of week')],
  [0x64, plain('week number')],
  [0x65, plain('time point of day change')],
  [0x66, plain('state of parameter activation')],
  [0x67, plain('special supplier information')],
  [0x70, plain('date time of battery change', 'datetime')],
  [0x71, { quantity: 'RF level', unit: 'dBm', exponent: 0 }],
  [0x72, plain('daylight saving')],
  [0x73, plain('listening window management')],
  [0x74, { quantity: 'remaining battery life time', unit: 's', exponent: 0, multiplier: 86400 }],
  [0x75, plain('number of times the meter was stopped')],
  [0x76, plain('manufacturer specific data container')],
]);

/** Durations in hours, days, months, years (FD 68-6F). */
const LONG_DURATION: readonly [string, number][] = [
  ['s', 3600],
  ['s', 86400],
  ['month', 1],
  ['year', 1],
];

function longDuration(quantity: string, pp: number): VifEntry {
  const [unit, multiplier] = LONG_DURATION[pp];
  return multiplier === 1 ? { quantity, unit, exponent: 0 } : { quantity, unit, exponent: 0, multiplier };
}

function shortDuration(quantity: string, nn: number): VifEntry {
  return { quantity, unit: 's', exponent: 0, multiplier: DURATION_SECONDS[nn] };
}

export function fdVif(code: number): VifEntry | undefined {
  const fixed = FD_FIXED.get(code);
  if (fixed) return fixed;
  const n2 = code & 0x03;
  const n4 = code & 0x0f;
  if (code <= 0x03) return { quantity: 'credit', unit: 'currency', exponent: n2 - 3 };
  if (code <= 0x07) return { quantity: 'debit', unit: 'currency', exponent: n2 - 3 };
  if (code >= 0x24 && code <= 0x27) return shortDuration('storage interval', n2);
  if (code >= 0x2c && code <= 0x2f) return shortDuration('duration since last readout', n2);
  if (code >= 0x31 && code <= 0x33) return shortDuration('duration of tariff', n2);
  if (code >= 0x34 && code <= 0x37) return shortDuration('period of tariff', n2);
  if (code >= 0x40 && code <= 0x4f) return { quantity: 'voltage', unit: 'V', exponent: n4 - 9 };
  if (code >= 0x50 && code <= 0x5f) return { quantity: 'current', unit: 'A', exponent: n4 - 12 };
  if (code >= 0x68 && code <= 0x6b) return longDuration('duration since last cumulation', n2);
  if (code >= 0x6c && code <= 0x6f) return longDuration('operating time battery', n2);
  return undefined;
}

export function fbVif(code: number): VifEntry | undefined {
  const n1 = code & 0x01;
  const n2 = code & 0x03;
  const n3 = code & 0x07;
  if (code <= 0x01) return { quantity: 'energy', unit: 'Wh', exponent: n1 + 5 };
  if (code <= 0x03) return { quantity: 'reactive energy', unit: 'varh', exponent: n1 + 3 };
  if (code >= 0x08 && code <= 0x09) return { quantity: 'energy', unit: 'J', exponent: n1 + 8 };
  if (code >= 0x0c && code <= 0x0f) return { quantity: 'energy', unit: 'cal', exponent: n2 + 5 };
  if (code >= 0x10 && code <= 0x11) return { quantity: 'volume', unit: 'm^3', exponent: n1 + 2 };
  if (code >= 0x14 && code <= 0x17) return { quantity: 'reactive power', unit: 'var', exponent: n2 };
  if (code >= 0x18 && code <= 0x19) return { quantity: 'mass', unit: 'kg', exponent: n1 + 5 };
  if (code >= 0x1a && code <= 0x1b) return { quantity: 'relative humidity', unit: '%', exponent: n1 - 1 };
  if (code === 0x20) return { quantity: 'volume', unit: 'ft^3', exponent: 0 };
  if (code === 0x21) return { quantity: 'volume', unit: 'ft^3', exponent: -1 };
  if (code >= 0x28 && code <= 0x29) return { quantity: 'power', unit: 'W', exponent: n1 + 5 };
  if (code === 0x2a) return { quantity: 'phase U-U', unit: '°', exponent: -1 };
  if (code === 0x2b) return { quantity: 'phase U-I', unit: '°', exponent: -1 };
  if (code >= 0x2c && code <= 0x2f) return { quantity: 'frequency', unit: 'Hz', exponent: n2 - 3 };
  if (code >= 0x30 && code <= 0x31) return { quantity: 'power', unit: 'J/h', exponent: n1 + 8 };
  if (code >= 0x34 && code <= 0x37) return { quantity: 'apparent power', unit: 'VA', exponent: n2 };
  if (code >= 0x58 && code <= 0x5b) return { quantity: 'flow temperature', unit: '°F', exponent: n2 - 3 };
  if (code >= 0x5c && code <= 0x5f) return { quantity: 'return temperature', unit: '°F', exponent: n2 - 3 };
  if (code >= 0x60 && code <= 0x63)
    return { quantity: 'temperature difference', unit: '°F', exponent: n2 - 3 };
  if (code >= 0x64 && code <= 0x67) return { quantity: 'external temperature', unit: '°F', exponent: n2 - 3 };
  if (code >= 0x70 && code <= 0x73) return { quantity: 'temperature limit', unit: '°F', exponent: n2 - 3 };
  if (code >= 0x74 && code <= 0x77) return { quantity: 'temperature limit', unit: '°C', exponent: n2 - 3 };
  if (code >= 0x78) return { quantity: 'cumulative count max power', unit: 'W', exponent: n3 - 3 };
  return undefined;
}

/** Primary VIF table (EN 13757-3 table "primary VIF-codes"); `code` is the VIF without its extension bit. */

export type ValueKind = 'number' | 'date' | 'datetime' | 'text' | 'id';

export interface VifEntry {
  quantity: string;
  unit: string;
  /** decimal exponent: value = coded number x multiplier x 10^exponent */
  exponent: number;
  /** integer factor for time units normalised to seconds */
  multiplier?: number;
  kind?: ValueKind;
}

/** Duration unit in the two low bits: seconds, minutes, hours, days. */
export const DURATION_SECONDS = [1, 60, 3600, 86400] as const;

function duration(quantity: string, nn: number): VifEntry {
  return { quantity, unit: 's', exponent: 0, multiplier: DURATION_SECONDS[nn] };
}

export function primaryVif(code: number): VifEntry | undefined {
  const n3 = code & 0x07;
  const n2 = code & 0x03;
  switch (code >> 3) {
    case 0x00:
      return { quantity: 'energy', unit: 'Wh', exponent: n3 - 3 };
    case 0x01:
      return { quantity: 'energy', unit: 'J', exponent: n3 };
    case 0x02:
      return { quantity: 'volume', unit: 'm^3', exponent: n3 - 6 };
    case 0x03:
      return { quantity: 'mass', unit: 'kg', exponent: n3 - 3 };
    case 0x04:
      return duration(code & 0x04 ? 'operating time' : 'on time', n2);
    case 0x05:
      return { quantity: 'power', unit: 'W', exponent: n3 - 3 };
    case 0x06:
      return { quantity: 'power', unit: 'J/h', exponent: n3 };
    case 0x07:
      return { quantity: 'volume flow', unit: 'm^3/h', exponent: n3 - 6 };
    case 0x08:
      return { quantity: 'volume flow', unit: 'm^3/min', exponent: n3 - 7 };
    case 0x09:
      return { quantity: 'volume flow', unit: 'm^3/s', exponent: n3 - 9 };
    case 0x0a:
      return { quantity: 'mass flow', unit: 'kg/h', exponent: n3 - 3 };
    case 0x0b:
      return {
        quantity: code & 0x04 ? 'return temperature' : 'flow temperature',
        unit: '°C',
        exponent: n2 - 3,
      };
    case 0x0c:
      return code & 0x04
        ? { quantity: 'external temperature', unit: '°C', exponent: n2 - 3 }
        : { quantity: 'temperature difference', unit: 'K', exponent: n2 - 3 };
    case 0x0d:
      if (!(code & 0x04)) return { quantity: 'pressure', unit: 'bar', exponent: n2 - 3 };
      if (code === 0x6c) return { quantity: 'date', unit: '', exponent: 0, kind: 'date' };
      if (code === 0x6d) return { quantity: 'date time', unit: '', exponent: 0, kind: 'datetime' };
      if (code === 0x6e) return { quantity: 'hca units', unit: '', exponent: 0 };
      return undefined;
    case 0x0e:
      return duration(code & 0x04 ? 'actuality duration' : 'averaging duration', n2);
    default:
      break;
  }
  if (code === 0x78) return { quantity: 'fabrication number', unit: '', exponent: 0, kind: 'id' };
  if (code === 0x79) return { quantity: 'enhanced identification', unit: '', exponent: 0, kind: 'id' };
  if (code === 0x7a) return { quantity: 'bus address', unit: '', exponent: 0 };
  if (code === 0x7e) return { quantity: 'any', unit: '', exponent: 0 };
  return undefined;
}

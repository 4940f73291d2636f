import type { DataField } from './data-field.ts';
import { type DecodedDate, decodeTypeF, decodeTypeG, decodeTypeI, decodeTypeJ } from './date.ts';
import type { VifEntry } from './vif-primary.ts';

/** value x 10^exponent, dividing for negative exponents so 54321 x 10^-3 gives 54.321 exactly. */
export function applyExponent(n: number, exponent: number): number {
  return exponent >= 0 ? n * 10 ** exponent : n / 10 ** -exponent;
}

/** Inverse of applyExponent, rounded to the integer a meter would send. */
export function removeExponent(v: number, exponent: number): number {
  return Math.round(exponent >= 0 ? v / 10 ** exponent : v * 10 ** -exponent);
}

/** Date/time type chosen by the data length, for VIFs that carry a point in time. */
export function decodeDateField(field: DataField): DecodedDate | undefined {
  const b = field.bytes;
  switch (b.length) {
    case 2:
      return decodeTypeG(b, 0);
    case 3:
      return decodeTypeJ(b, 0);
    case 4:
      return decodeTypeF(b, 0);
    case 6:
      return decodeTypeI(b, 0);
    default:
      return undefined;
  }
}

export interface RecordValue {
  value: number | string | null;
  text?: string;
  invalid?: boolean;
}

/** Normalised value of a data field under a VIF: scaled number, ISO date, or text. */
export function normalise(
  entry: VifEntry,
  exponent: number,
  field: DataField,
  integerCoding: boolean,
): RecordValue {
  if ((entry.kind === 'date' || entry.kind === 'datetime') && integerCoding) {
    const d = decodeDateField(field);
    if (d) return { value: d.text, text: d.text, invalid: d.invalid };
  }
  const v = field.value;
  if (typeof v !== 'number') return v === null ? { value: null } : { value: v, text: field.text ?? v };
  const value = applyExponent(v * (entry.multiplier ?? 1), exponent);
  return field.text ? { value, text: field.text } : { value };
}

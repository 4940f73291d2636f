import { DECIMAL_PATTERN } from '../kinds/reading.ts';

/**
 * A register value as the decimal string a RawReading carries: at most `decimals` places, trailing
 * zeros dropped; null for a missing value or one the pattern cannot hold (negative, too large).
 */
export function decimalString(value: unknown, decimals = 6): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  const s = value.toFixed(decimals).replace(/\.?0+$/, '');
  return DECIMAL_PATTERN.test(s) ? s : null;
}

/** `raw × 10^exponent` written exactly (integers of the coded value, no float rounding). */
export function scaledDecimal(raw: number | bigint, exponent: number): string | null {
  if (typeof raw === 'number' && (!Number.isSafeInteger(raw) || raw < 0)) return null;
  if (typeof raw === 'bigint' && raw < 0n) return null;
  let digits = raw.toString();
  if (exponent >= 0) digits += '0'.repeat(exponent);
  else {
    const k = -exponent;
    digits = digits.padStart(k + 1, '0');
    digits = `${digits.slice(0, -k)}.${digits.slice(-k)}`.replace(/\.?0+$/, '');
  }
  const s = digits.replace(/^0+(?=\d)/, '');
  return DECIMAL_PATTERN.test(s) ? s : null;
}

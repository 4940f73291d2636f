import { AppError } from '../errors.ts';

/** An exact decimal: `units / 10^scale`. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** Parses a plain decimal string ('12', '-0.5', '3.141500'); no exponents, no separators. */
export function parseDecimal(text: unknown, what: string, maxScale: number): Decimal {
  if (typeof text !== 'string') {
    throw new AppError('REQ_VALIDATION', `${what} must be a decimal string`, [
      { path: what, message: 'must be a string' },
    ]);
  }
  const m = DECIMAL.exec(text.trim());
  if (!m) {
    throw new AppError('REQ_VALIDATION', `${what} '${text}' is not a decimal number`, [
      { path: what, message: 'must be digits with an optional sign and decimal point' },
    ]);
  }
  const fraction = m[3] ?? '';
  if (fraction.length > maxScale) {
    throw new AppError('REQ_VALIDATION', `${what} '${text}' has more than ${maxScale} decimal places`, [
      { path: what, message: `at most ${maxScale} decimal places` },
    ]);
  }
  const units = BigInt(m[2] + fraction);
  return { units: m[1] === '-' ? -units : units, scale: fraction.length };
}

export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** The decimal rescaled to `scale` (which must not be smaller than its own). */
export function rescale(d: Decimal, scale: number): bigint {
  return d.units * pow10(scale - d.scale);
}

import { Decimal } from 'decimal.js';

/**
 * The tariff engine's own Decimal: 40 significant digits, so products of 6-place prices and
 * quantities up to 10^9 stay exact; rounding happens only where the tariff says (see rounding.ts).
 */
export const D = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type D = InstanceType<typeof D>;

export const ZERO = new D(0);

/** Plain decimal text without exponent or trailing zeros ("1406.304", "0", "-360"). */
export function text(d: D): string {
  return d.toFixed();
}

export const sum = (xs: readonly D[]): D => xs.reduce((a, b) => a.plus(b), ZERO);

export const min = (a: D, b: D): D => (a.lessThan(b) ? a : b);
export const max = (a: D, b: D): D => (a.greaterThan(b) ? a : b);

export const roundingModes = {
  'half-up': Decimal.ROUND_HALF_UP,
  'half-even': Decimal.ROUND_HALF_EVEN,
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP,
} as const;
export type RoundingMode = keyof typeof roundingModes;

/**
 * Splits `total` into parts proportional to `weights` at `scale` decimal places by rounding the
 * running sum (half-up): the parts add up to `total` exactly and none is negative when the
 * weights are not.
 */
export function prorate(total: D, weights: readonly D[], scale: number): D[] {
  const whole = sum(weights);
  if (whole.isZero()) return weights.map((_, i) => (i === weights.length - 1 ? total : ZERO));
  const out: D[] = [];
  let running = ZERO;
  let given = ZERO;
  weights.forEach((w, i) => {
    running = running.plus(w);
    const upTo =
      i === weights.length - 1
        ? total
        : total.times(running).dividedBy(whole).toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
    out.push(upTo.minus(given));
    given = upTo;
  });
  return out;
}

/**
 * Rounding of an exact quotient. half-up rounds halves away from zero (the usual commercial
 * rule, 四舍五入); half-even rounds halves to the even neighbour; down truncates toward zero;
 * up rounds away from zero.
 */
export const roundingModes = ['half-up', 'half-even', 'down', 'up'] as const;
export type Rounding = (typeof roundingModes)[number];

/** `numerator / denominator` rounded to an integer; the denominator must be positive. */
export function divRound(numerator: bigint, denominator: bigint, mode: Rounding): bigint {
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let q = n / denominator;
  const r = n % denominator;
  if (r !== 0n) {
    const twice = r * 2n;
    const up =
      mode === 'up' ||
      (mode === 'half-up' && twice >= denominator) ||
      (mode === 'half-even' && (twice > denominator || (twice === denominator && q % 2n === 1n)));
    if (up) q += 1n;
  }
  return negative ? -q : q;
}

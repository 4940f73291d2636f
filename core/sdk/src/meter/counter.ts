/**
 * Arithmetic on meter counters in integer units of the register's last digit, so that
 * 99999.999 + 0.001 is exactly 100000 and differences carry no binary-fraction noise.
 */
export interface CounterSpec {
  decimals: number;
  rolloverMax?: number;
}

export function toUnits(value: number, decimals: number): number {
  return Math.round(value * 10 ** decimals);
}

export function fromUnits(units: number, decimals: number): number {
  return Number((units / 10 ** decimals).toFixed(decimals));
}

/** Largest value a counter with `integerDigits` and `fractionDigits` shows, e.g. 5,3 → 99999.999. */
export function rolloverMaxForDigits(integerDigits: number, fractionDigits: number): number {
  return fromUnits(10 ** (integerDigits + fractionDigits) - 1, fractionDigits);
}

/**
 * A wrapped counter is believed only when the wrapped distance is under this share of the
 * counter's range: a meter near its top reading followed by one near zero. A larger apparent
 * wrap is far more likely a backwards reading or an unrecorded meter swap.
 */
export const ROLLOVER_SHARE = 0.1;

export type CounterStep =
  | { kind: 'forward'; delta: number }
  | { kind: 'rollover'; delta: number }
  | { kind: 'backwards'; by: number };

/** How a cumulative counter moved from `prev` to `next`. */
export function counterStep(prev: number, next: number, spec: CounterSpec): CounterStep {
  const d = spec.decimals;
  const a = toUnits(prev, d);
  const b = toUnits(next, d);
  if (b >= a) return { kind: 'forward', delta: fromUnits(b - a, d) };
  if (spec.rolloverMax !== undefined) {
    const modulus = toUnits(spec.rolloverMax, d) + 1;
    const wrapped = modulus - a + b;
    if (a < modulus && wrapped > 0 && wrapped <= modulus * ROLLOVER_SHARE) {
      return { kind: 'rollover', delta: fromUnits(wrapped, d) };
    }
  }
  return { kind: 'backwards', by: fromUnits(a - b, d) };
}

import type { RegisterDef } from '../kinds/meter-type.ts';
import { rolloverMaxForDigits } from './counter.ts';

/**
 * Top value of each cumulative register for a counter of `integerDigits` integer digits, e.g.
 * from a tenant's meter-size setting; every register keeps its own decimals.
 */
export function cumulativeRollovers(
  registers: readonly RegisterDef[],
  integerDigits: number,
): Record<string, number> {
  return Object.fromEntries(
    registers
      .filter((r) => r.kind === 'cumulative')
      .map((r) => [r.key, rolloverMaxForDigits(integerDigits, r.decimals)]),
  );
}

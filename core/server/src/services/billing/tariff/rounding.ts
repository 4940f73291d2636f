import { AppError } from '@quadmeter/sdk';
import { type D, roundingModes, ZERO } from './decimal.ts';
import type { Rounding } from './schema.ts';

/** An amount in yuan rounded by the tariff's rule, as integer fen. */
function toFen(x: D, r: Rounding): number {
  const fen = x.toDecimalPlaces(r.scale, roundingModes[r.mode]).times(100).toNumber();
  if (!Number.isSafeInteger(fen)) throw new AppError('TARIFF_AMOUNT_TOO_LARGE');
  return fen;
}

/**
 * Fen of each line. "line": each line rounded once. "total": the running total is rounded after
 * each line and a line gets the step, so the lines add up to the rounded exact total and none is
 * more than one rounding unit from its exact amount.
 */
export function roundLines(amounts: readonly D[], r: Rounding): number[] {
  if (r.at === 'line') return amounts.map((a) => toFen(a, r));
  let running = ZERO;
  let given = 0;
  return amounts.map((a) => {
    running = running.plus(a);
    const upTo = toFen(running, r);
    const step = upTo - given;
    given = upTo;
    return step;
  });
}

import { D } from '../tariff/decimal.ts';

/** A tenant's late-fee policy (billing_settings; defaults when the tenant has no row). */
export interface LateFeePolicy {
  /** per mille of the overdue principal per day, as decimal text ("1", "0.5") */
  perMillePerDay: string;
  graceDays: number;
  /** late fees on one bill never exceed this percentage of its principal (decimal text) */
  capPercent: string;
  minFen: number;
}

export const DEFAULT_LATE_FEE_POLICY: LateFeePolicy = {
  perMillePerDay: '1',
  graceDays: 0,
  capPercent: '100',
  minFen: 100,
};

export interface OverdueBill {
  dueDate: string;
  principalFen: number;
  unpaidPrincipalFen: number;
  /** late fees the bill carries already, net of reversals */
  lateSoFarFen: number;
  /** days already charged (whether or not reversed since: a day is charged once) */
  chargedDays: ReadonlySet<string>;
}

/** How far back a run catches up missed days. */
export const MAX_CATCH_UP_DAYS = 400;

export function addDays(day: string, n: number): string {
  const t = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The fee of one overdue day: principal × rate rounded half-up to fen, at least the minimum. */
export function dailyFee(unpaidPrincipalFen: number, p: LateFeePolicy): number {
  if (unpaidPrincipalFen <= 0 || new D(p.perMillePerDay).lessThanOrEqualTo(0)) return 0;
  const fen = new D(unpaidPrincipalFen)
    .times(p.perMillePerDay)
    .dividedBy(1000)
    .toDecimalPlaces(0, D.ROUND_HALF_UP)
    .toNumber();
  return Math.max(fen, p.minFen);
}

/** The most late fees the bill may carry: cap% of its principal, rounded down to fen. */
export function lateFeeCap(principalFen: number, p: LateFeePolicy): number {
  if (principalFen <= 0) return 0;
  return new D(principalFen).times(p.capPercent).dividedBy(100).toDecimalPlaces(0, D.ROUND_DOWN).toNumber();
}

/**
 * The late fees to post for one bill up to `today` (inclusive): one per day after due date + grace
 * days not charged before, each the daily fee of today's unpaid principal (a missed day caught up
 * is charged at the principal unpaid now), the last one cut so the bill's late fees reach the cap
 * and never pass it. Days older than MAX_CATCH_UP_DAYS are not caught up.
 */
export function lateFeesDue(b: OverdueBill, today: string, p: LateFeePolicy): { day: string; fen: number }[] {
  const fee = dailyFee(b.unpaidPrincipalFen, p);
  if (fee === 0) return [];
  let room = lateFeeCap(b.principalFen, p) - b.lateSoFarFen;
  const firstDay = addDays(b.dueDate, p.graceDays + 1);
  const oldest = addDays(today, -MAX_CATCH_UP_DAYS);
  const out: { day: string; fen: number }[] = [];
  let start = firstDay;
  if (start < oldest) start = oldest;
  for (let d = start; d <= today && room > 0; d = addDays(d, 1)) {
    if (b.chargedDays.has(d)) continue;
    const fen = Math.min(fee, room);
    out.push({ day: d, fen });
    room -= fen;
  }
  return out;
}

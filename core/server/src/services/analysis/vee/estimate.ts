/**
 * Estimation of missing cumulative readings (VEE's "E"): for a gap between two real readings of a
 * meter, values at the wanted instants by one of three methods. Pure; every estimate is marked with
 * its method so it can be stored as an estimated reading (kind 5) and replaced by a real value.
 *
 * - `linear`: straight line between the readings either side of the gap;
 * - `profile`: the gap's total usage (known from both ends) spread like the meter's own usage in
 *   the same hours of the previous week;
 * - `similar`: with no reading after the gap, the last reading plus the mean usage per hour of
 *   similar meters in the area over the same span.
 */
export interface Point {
  t: number;
  v: number;
}
export interface Estimate extends Point {
  method: 'linear' | 'profile' | 'similar';
}

/** Linear interpolation between `before` and `after` at each of `at` (strictly between them). */
export function linearFill(before: Point, after: Point, at: readonly number[]): Estimate[] {
  const span = after.t - before.t;
  if (span <= 0) return [];
  return at
    .filter((t) => t > before.t && t < after.t)
    .map((t) => ({
      t,
      v: round(before.v + ((after.v - before.v) * (t - before.t)) / span),
      method: 'linear',
    }));
}

/**
 * Spreads the gap's usage by the meter's own usage one `periodMs` earlier (a week by default):
 * `history` is the meter's real readings, ascending. Falls back to linear when the earlier period
 * has no usage to follow.
 */
export function profileFill(
  before: Point,
  after: Point,
  at: readonly number[],
  history: readonly Point[],
  periodMs = 7 * 86_400_000,
): Estimate[] {
  const valueAt = (t: number): number | null => {
    const i = history.findIndex((p) => p.t >= t);
    if (i < 0) return null;
    const b = history[i] as Point;
    if (b.t === t) return b.v;
    if (i === 0) return null;
    const a = history[i - 1] as Point;
    return a.v + ((b.v - a.v) * (t - a.t)) / (b.t - a.t);
  };
  const start = valueAt(before.t - periodMs);
  const end = valueAt(after.t - periodMs);
  const total = after.v - before.v;
  if (start === null || end === null || end - start <= 0 || total < 0) return linearFill(before, after, at);
  return at
    .filter((t) => t > before.t && t < after.t)
    .map((t) => {
      const then = valueAt(t - periodMs);
      const share = then === null ? (t - before.t) / (after.t - before.t) : (then - start) / (end - start);
      return { t, v: round(before.v + total * Math.min(1, Math.max(0, share))), method: 'profile' as const };
    });
}

/**
 * With no reading after the gap: the last real reading plus, per hour, the mean hourly usage of
 * `peers` (similar meters in the area: each its usage over the same span and the span's hours).
 */
export function similarFill(
  before: Point,
  at: readonly number[],
  peers: readonly { usage: number; hours: number }[],
): Estimate[] {
  const rates = peers.filter((p) => p.hours > 0 && p.usage >= 0).map((p) => p.usage / p.hours);
  if (rates.length === 0) return [];
  const rate = rates.reduce((a, b) => a + b, 0) / rates.length;
  return at
    .filter((t) => t > before.t)
    .map((t) => ({ t, v: round(before.v + (rate * (t - before.t)) / 3_600_000), method: 'similar' }));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

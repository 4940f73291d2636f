import { dailyUsage, iso, lastDays, round, withValue } from '../series.ts';
import type { MeterWindow, RuleHit, VeeReading, VeeRule } from '../types.ts';

const HOUR = 3_600_000;

/** Readings of the last `days` days (and the one before them, to measure usage from). */
function recent(w: MeterWindow, days: number): VeeReading[] {
  const from = w.now.getTime() - days * 24 * HOUR;
  const vs = withValue(w.readings);
  const i = vs.findIndex((r) => r.ts.getTime() >= from);
  return i < 0 ? [] : vs.slice(Math.max(0, i - 1));
}

/** An occupied account's meter has recorded no usage for `days` days while it kept reporting. */
export const zeroConsumption: VeeRule<{ days: number; minReadings: number }> = {
  id: 'zero-consumption',
  severity: 'warning',
  defaults: { days: 7, minReadings: 3 },
  evaluate(w, p) {
    if (!w.meter.occupied) return null;
    const rs = recent(w, p.days);
    if (rs.length < p.minReadings) return null;
    const first = rs[0] as VeeReading & { value: number };
    const last = rs[rs.length - 1] as VeeReading & { value: number };
    // it must have covered the span: the first reading at least `days` back
    if (w.now.getTime() - first.ts.getTime() < p.days * 24 * HOUR - HOUR) return null;
    if (rs.some((r) => r.value !== first.value)) return null;
    return hit('zero-consumption', 'warning', `no usage for ${p.days} days on an occupied account`, [
      first,
      last,
    ]);
  },
};

interface ProfileParams {
  [k: string]: number;
  baselineDays: number;
  factor: number;
  minUsage: number;
}

function profile(w: MeterWindow, baselineDays: number) {
  const usage = dailyUsage(w.readings);
  const days = lastDays(w.now, baselineDays + 1);
  const baseline = days.slice(0, -1).map((d) => usage.get(d));
  const known = baseline.filter((u): u is number => u !== undefined);
  const day = days[days.length - 1] as string;
  const mean = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0;
  return { day, usage: usage.get(day), mean, known: known.length };
}

function dayReadings(w: MeterWindow, day: string): VeeReading[] {
  return w.readings.filter((r) => new Date(r.ts.getTime() - 1).toISOString().startsWith(day));
}

/** Yesterday's usage is more than `factor` × the mean of the meter's own previous days. */
export const usageSpike: VeeRule<ProfileParams> = {
  id: 'usage-spike',
  severity: 'warning',
  defaults: { baselineDays: 14, factor: 3, minUsage: 1 },
  evaluate(w, p) {
    const x = profile(w, p.baselineDays);
    if (x.usage === undefined || x.known < p.baselineDays / 2) return null;
    if (x.usage < p.minUsage || x.usage <= p.factor * x.mean) return null;
    return hit(
      'usage-spike',
      'warning',
      `usage ${round(x.usage)} on ${x.day} vs mean ${round(x.mean)}`,
      dayReadings(w, x.day),
      { day: x.day, usage: round(x.usage), mean: round(x.mean) },
    );
  },
};

/** Yesterday's usage fell below `factor` × the mean of the previous days (but is not zero). */
export const usageDrop: VeeRule<ProfileParams> = {
  id: 'usage-drop',
  severity: 'info',
  defaults: { baselineDays: 14, factor: 0.2, minUsage: 1 },
  evaluate(w, p) {
    const x = profile(w, p.baselineDays);
    if (x.usage === undefined || x.known < p.baselineDays / 2) return null;
    // zero usage is the zero-consumption rule's; a small profile is noise
    if (x.usage === 0 || x.mean < p.minUsage || x.usage >= p.factor * x.mean) return null;
    return hit(
      'usage-drop',
      'info',
      `usage ${round(x.usage)} on ${x.day} vs mean ${round(x.mean)}`,
      dayReadings(w, x.day),
      { day: x.day, usage: round(x.usage), mean: round(x.mean) },
    );
  },
};

interface Step {
  prev: VeeReading & { value: number };
  cur: VeeReading & { value: number };
}

/** Steps where the counter went down, except at a wrap and at a recorded replacement. */
function backwardSteps(w: MeterWindow, tolerance: number): Step[] {
  const vs = withValue(w.readings);
  const out: Step[] = [];
  for (let i = 1; i < vs.length; i++) {
    const prev = vs[i - 1] as Step['prev'];
    const cur = vs[i] as Step['cur'];
    if (cur.value >= prev.value - tolerance) continue;
    const max = w.meter.rolloverMax;
    if (max !== undefined && prev.value > max * 0.9 && cur.value < max * 0.1) continue;
    const recorded = w.meter.replacedAt.some(
      (t) => t.getTime() > prev.ts.getTime() && t.getTime() <= cur.ts.getTime(),
    );
    if (!recorded) out.push({ prev, cur });
  }
  return out;
}

/** The counter went backwards by more than `tolerance` (negative consumption) but not to near zero. */
export const counterRollback: VeeRule<{ tolerance: number; restartBelow: number }> = {
  id: 'counter-rollback',
  severity: 'critical',
  defaults: { tolerance: 0.001, restartBelow: 10 },
  evaluate(w, p) {
    const s = backwardSteps(w, p.tolerance).filter((x) => x.cur.value >= p.restartBelow);
    const last = s[s.length - 1];
    if (!last) return null;
    return hit(
      'counter-rollback',
      'critical',
      `counter went back from ${last.prev.value} to ${last.cur.value}`,
      [last.prev, last.cur],
      { steps: s.length },
    );
  },
};

/** The counter restarted near zero with no replacement recorded: an unrecorded meter swap. */
export const meterReplaced: VeeRule<{ tolerance: number; restartBelow: number }> = {
  id: 'meter-replaced',
  severity: 'warning',
  defaults: { tolerance: 0.001, restartBelow: 10 },
  evaluate(w, p) {
    const s = backwardSteps(w, p.tolerance).filter((x) => x.cur.value < p.restartBelow);
    const last = s[s.length - 1];
    if (!last) return null;
    return hit(
      'meter-replaced',
      'warning',
      `counter restarted at ${last.cur.value} after ${last.prev.value}; no replacement recorded`,
      [last.prev, last.cur],
    );
  },
};

export function hit(
  rule: string,
  severity: RuleHit['severity'],
  summary: string,
  readings: readonly VeeReading[],
  extra: Record<string, unknown> = {},
): RuleHit {
  return { rule, severity, evidence: { summary, readings: readings.map(iso), ...extra } };
}

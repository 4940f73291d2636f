import { dailyUsage, lastDays, round } from '../series.ts';
import type { VeeRule } from '../types.ts';
import { hit } from './consumption.ts';

/**
 * A master meter measured less than its sub-meters together over the last `days` days (by more
 * than `tolerancePct` % and `minExcess` units): a faulty master, a wrong link or a sub-meter fault.
 * Evaluated on the master; `subUsageByDay` carries the sub-meters' usage.
 */
export const subExceedsMaster: VeeRule<{ days: number; tolerancePct: number; minExcess: number }> = {
  id: 'sub-exceeds-master',
  severity: 'warning',
  defaults: { days: 7, tolerancePct: 2, minExcess: 1 },
  evaluate(w, p) {
    const subs = w.subUsageByDay;
    if (!subs || subs.size === 0) return null;
    const mine = dailyUsage(w.readings);
    const days = lastDays(w.now, p.days).filter((d) => mine.has(d) && subs.has(d));
    if (days.length < Math.ceil(p.days / 2)) return null;
    const master = days.reduce((a, d) => a + (mine.get(d) ?? 0), 0);
    const sub = days.reduce((a, d) => a + (subs.get(d) ?? 0), 0);
    const excess = sub - master;
    if (excess <= master * (p.tolerancePct / 100) || excess < p.minExcess) return null;
    return hit('sub-exceeds-master', 'warning', `sub-meters ${round(sub)} > master ${round(master)}`, [], {
      days,
      master: round(master),
      sub: round(sub),
    });
  },
};

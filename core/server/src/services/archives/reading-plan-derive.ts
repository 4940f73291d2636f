import type { GatewayReadingPlan } from '@quadmeter/sdk';

/** A reading schedule as the plan derivation needs it. */
export interface PlanSchedule {
  id: string;
  name: string;
  cron: string;
}

/** Minutes the terminal reads ahead of the platform's earliest scheduled pull. */
export const LEAD_MINUTES = 30;
const ALL_DAYS = Array.from({ length: 31 }, (_, i) => i + 1);
const ALL_DAY = [{ start: '00:00', end: '24:00' }];

/** The numbers of a cron field that lists plain numbers ('5', '1,15'), else null ('*', ranges, steps). */
function listed(field: string, min: number, max: number): number[] | null {
  if (!/^\d+(,\d+)*$/.test(field)) return null;
  const ns = field.split(',').map(Number);
  return ns.every((n) => n >= min && n <= max) ? ns : null;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * The reading plan a concentrator should run so its own data is fresh when the platform's
 * schedules pull it: on every day of the month some schedule fires (all days when one fires daily,
 * weekly or on any pattern but listed days), at the earliest fixed time a schedule fires minus
 * LEAD_MINUTES (00:00 when none names a fixed time, e.g. only hourly ones), every 60 minutes, the
 * whole day allowed; one block per terminal port of the concentrator's meters. No schedule: none.
 */
export function derivePlan(
  schedules: readonly PlanSchedule[],
  ports: readonly number[],
): GatewayReadingPlan[] {
  if (schedules.length === 0 || ports.length === 0) return [];
  const days = new Set<number>();
  let earliest: number | null = null;
  for (const s of schedules) {
    const [minute, hour, dom] = s.cron.split(' ');
    const ds = listed(dom ?? '*', 1, 31);
    for (const d of ds ?? ALL_DAYS) days.add(d);
    const ms = listed(minute ?? '*', 0, 59);
    const hs = listed(hour ?? '*', 0, 23);
    if (ms && hs) {
      const at = Math.min(...hs) * 60 + Math.min(...ms);
      earliest = earliest === null ? at : Math.min(earliest, at);
    }
  }
  const at = earliest === null ? 0 : Math.max(0, earliest - LEAD_MINUTES);
  const time = `${p2(Math.floor(at / 60))}:${p2(at % 60)}`;
  const dayList = [...days].sort((a, b) => a - b);
  return [...new Set(ports)]
    .sort((a, b) => a - b)
    .map((port) => ({ port, days: dayList, time, intervalMinutes: 60, segments: ALL_DAY }));
}

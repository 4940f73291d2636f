import type { Zone } from '../readings/zone.ts';
import type { PrepaidPolicy } from './policy-types.ts';

/** The tenant's calendar: holidays and make-up working days (调休), by 'YYYY-MM-DD'. */
export type Calendar = ReadonlyMap<string, 'holiday' | 'workday'>;

export interface Protection {
  keepPower: boolean;
  policy: Pick<
    PrepaidPolicy,
    'nightProtect' | 'nightStart' | 'nightEnd' | 'weekendProtect' | 'holidayProtect'
  >;
  calendar: Calendar;
  zone: Zone;
}

const DAY = 86_400_000;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** Is the whole calendar day protected (a holiday, or a weekend that is not a make-up working day)? */
function dayProtected(p: Protection, day: string): boolean {
  const mark = p.calendar.get(day);
  if (p.policy.holidayProtect && mark === 'holiday') return true;
  if (p.policy.weekendProtect && mark !== 'workday') {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (dow === 0 || dow === 6) return true;
  }
  return false;
}

/**
 * When may a cut due at `at` happen? `'never'` under manual keep-power; `at` itself outside every
 * window; otherwise the end of the protection window(s) it falls in — a night window ends at its
 * end time, a protected day at the next midnight, and windows that meet are followed through (a
 * holiday ending at midnight inside a night window runs on to that night's end).
 */
export function cutAllowedAt(p: Protection, at: number): number | 'never' {
  if (p.keepPower) return 'never';
  let t = at;
  for (let guard = 0; guard < 400; guard++) {
    const day = p.zone.dayOf(t);
    const dayStart = p.zone.startOf(day);
    if (dayProtected(p, day)) {
      t = p.zone.startOf(nextDay(day));
      continue;
    }
    if (p.policy.nightProtect) {
      const s = minutesOf(p.policy.nightStart);
      const e = minutesOf(p.policy.nightEnd);
      const m = Math.floor((t - dayStart) / 60_000);
      if (s !== e) {
        const inNight = s > e ? m >= s || m < e : m >= s && m < e;
        if (inNight) {
          // the window ends today if we are before its end, else tomorrow
          const endDay = s > e && m >= s ? nextDay(day) : day;
          t = p.zone.startOf(endDay) + e * 60_000;
          continue;
        }
      }
    }
    return t;
  }
  return 'never';
}

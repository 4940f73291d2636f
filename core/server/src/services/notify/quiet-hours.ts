import type { NoticeEvent } from './events.ts';
import { type NotifySettings, toMinutes } from './settings.ts';

/** Minutes and seconds after local midnight of `at` in `timeZone`. */
function localClock(at: Date, timeZone: string): { minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return { minute: n('hour') * 60 + n('minute'), second: n('second') };
}

/**
 * When a notice of `event` due at `at` may go out: `at` itself outside quiet hours (or for an
 * urgent event), else the end of the quiet hours in the tenant's local time. The window may wrap
 * midnight (22:00–08:00); equal start and end means no quiet hours.
 */
export function releaseTime(
  at: Date,
  event: NoticeEvent,
  s: Pick<NotifySettings, 'quietStart' | 'quietEnd' | 'timeZone' | 'urgentEvents'>,
): Date {
  const start = toMinutes(s.quietStart);
  const end = toMinutes(s.quietEnd);
  if (start === end || s.urgentEvents.includes(event)) return at;
  const { minute, second } = localClock(at, s.timeZone);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return at;
  const wait = (end - minute + 1440) % 1440;
  return new Date(at.getTime() + wait * 60_000 - second * 1000 - at.getMilliseconds());
}

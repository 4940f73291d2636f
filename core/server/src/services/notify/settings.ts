import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { NoticeChannel, NoticeEvent } from './events.ts';

export interface NotifySettings {
  /** channels notices go out on (a customer still needs the contact and the opt-in) */
  channels: NoticeChannel[];
  /** quiet hours in tenant local time, 'HH:MM'; equal start and end: no quiet hours */
  quietStart: string;
  quietEnd: string;
  timeZone: string;
  /** events sent even inside quiet hours */
  urgentEvents: NoticeEvent[];
  /** attempts per notice before a retryable failure is given up */
  maxAttempts: number;
  /** the first retry's delay; each next one doubles (capped at an hour) */
  backoffSeconds: number;
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  channels: ['sms'],
  quietStart: '22:00',
  quietEnd: '08:00',
  timeZone: 'Asia/Shanghai',
  urgentEvents: [],
  maxAttempts: 5,
  backoffSeconds: 60,
};

export const toMinutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

const toHhmm = (min: number): string =>
  `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

type Row = Omit<NotifySettings, 'quietStart' | 'quietEnd'> & { quietStart: number; quietEnd: number };

/** The tenant's notify settings (the defaults until an administrator saves some). */
export async function notifySettings(tx: Tx): Promise<NotifySettings> {
  const [row] = (await tx.execute(sql`select channels, quiet_start as "quietStart", quiet_end as "quietEnd",
    time_zone as "timeZone", urgent_events as "urgentEvents", max_attempts as "maxAttempts",
    backoff_seconds as "backoffSeconds" from notify_settings`)) as unknown as Row[];
  if (!row) return { ...DEFAULT_NOTIFY_SETTINGS };
  return { ...row, quietStart: toHhmm(row.quietStart), quietEnd: toHhmm(row.quietEnd) };
}

export async function saveNotifySettings(
  tx: Tx,
  tenantId: string,
  s: NotifySettings,
): Promise<NotifySettings> {
  const channels = `{${[...new Set(s.channels)].join(',')}}`;
  const urgent = `{${[...new Set(s.urgentEvents)].join(',')}}`;
  await tx.execute(sql`insert into notify_settings (tenant_id, channels, quiet_start, quiet_end, time_zone,
      urgent_events, max_attempts, backoff_seconds)
    values (${tenantId}, ${channels}::text[], ${toMinutes(s.quietStart)}, ${toMinutes(s.quietEnd)},
      ${s.timeZone}, ${urgent}::text[], ${s.maxAttempts}, ${s.backoffSeconds})
    on conflict (tenant_id) do update set channels = excluded.channels, quiet_start = excluded.quiet_start,
      quiet_end = excluded.quiet_end, time_zone = excluded.time_zone, urgent_events = excluded.urgent_events,
      max_attempts = excluded.max_attempts, backoff_seconds = excluded.backoff_seconds, updated_at = now()`);
  return await notifySettings(tx);
}

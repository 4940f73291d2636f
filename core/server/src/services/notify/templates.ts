import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { NoticeChannel, NoticeEvent } from './events.ts';
import type { NoticeText } from './render.ts';

const ROOT = new URL('../../../../../templates/notify/', import.meta.url);

/**
 * Parses a default template file: an e-mail template opens with a `Subject: …` line and a blank
 * line (the subject convention); sms and WeChat files are the body alone.
 */
export function parseTemplateFile(text: string): NoticeText {
  const m = /^Subject:[ \t]*(.*)\r?\n\r?\n/.exec(text);
  return m ? { subject: (m[1] ?? '').trim(), body: text.slice(m[0].length) } : { subject: '', body: text };
}

const cache = new Map<string, NoticeText>();

/** The shipped default of an event and channel (`templates/notify/<event>/<channel>.hbs`). */
export function defaultTemplate(event: NoticeEvent, channel: NoticeChannel): NoticeText {
  const key = `${event}/${channel}`;
  let t = cache.get(key);
  if (!t) {
    t = parseTemplateFile(readFileSync(new URL(`${key}.hbs`, ROOT), 'utf8'));
    cache.set(key, t);
  }
  return t;
}

export interface StoredTemplate extends NoticeText {
  event: NoticeEvent;
  channel: NoticeChannel;
  updatedAt: string;
}

/** The tenant's overrides (all of them). */
export async function templateOverrides(tx: Tx): Promise<StoredTemplate[]> {
  return (await tx.execute(sql`select event, channel, subject, body,
    to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt"
    from notify_templates order by event, channel`)) as unknown as StoredTemplate[];
}

/** The template in force: the tenant's override, else the default. */
export async function effectiveTemplate(
  tx: Tx,
  event: NoticeEvent,
  channel: NoticeChannel,
): Promise<NoticeText & { source: 'tenant' | 'default' }> {
  const [row] = (await tx.execute(sql`select subject, body from notify_templates
    where event = ${event} and channel = ${channel}`)) as unknown as NoticeText[];
  return row ? { ...row, source: 'tenant' } : { ...defaultTemplate(event, channel), source: 'default' };
}

export async function saveTemplate(
  tx: Tx,
  tenantId: string,
  event: NoticeEvent,
  channel: NoticeChannel,
  t: NoticeText,
): Promise<void> {
  await tx.execute(sql`insert into notify_templates (tenant_id, event, channel, subject, body)
    values (${tenantId}, ${event}, ${channel}, ${t.subject}, ${t.body})
    on conflict (tenant_id, event, channel) do update set subject = excluded.subject,
      body = excluded.body, updated_at = now()`);
}

/** Removes the override (back to the default); true when there was one. */
export async function resetTemplate(tx: Tx, event: NoticeEvent, channel: NoticeChannel): Promise<boolean> {
  const rows = (await tx.execute(sql`delete from notify_templates where event = ${event}
    and channel = ${channel} returning 1`)) as unknown as unknown[];
  return rows.length > 0;
}

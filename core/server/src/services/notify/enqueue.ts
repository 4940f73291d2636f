import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { NoticeChannel, NoticeEvent } from './events.ts';
import { kickNotify } from './queue.ts';
import { releaseTime } from './quiet-hours.ts';
import { renderNotice } from './render.ts';
import { notifySettings } from './settings.ts';
import { defaultTemplate, effectiveTemplate } from './templates.ts';

export type { NoticeEvent } from './events.ts';

interface Recipient {
  tenantId: string;
  customerName: string;
  tenantName: string;
  accountNumber: string;
  phone: string | null;
  email: string | null;
  wechatOpenid: string | null;
  optIn: string[];
}

const contactOf = (r: Recipient, channel: NoticeChannel): string | null =>
  ({ sms: r.phone, email: r.email, wechat: r.wechatOpenid })[channel]?.trim() || null;

/** The tenant's template rendered; the default when the override fails (it never fails the caller). */
async function renderFor(tx: Tx, event: NoticeEvent, channel: NoticeChannel, vars: Record<string, string>) {
  const t = await effectiveTemplate(tx, event, channel);
  try {
    return renderNotice(t, channel, vars);
  } catch (err) {
    if (t.source === 'default') throw err;
    return renderNotice(defaultTemplate(event, channel), channel, vars);
  }
}

/**
 * Queues the notice of `event` for the account's customer on every channel the tenant enabled,
 * the customer opted in to and has a contact for: rendered now from the tenant's template (or the
 * default), one outbox row per channel with message id `${key}:${channel}` — enqueueing the same
 * key again adds nothing. A notice due inside quiet hours waits for their end. Runs in the
 * caller's tenant transaction (the notice exists only if it commits). Answers the rows added.
 */
export async function enqueueNotice(
  tx: Tx,
  n: { key: string; event: NoticeEvent; accountId: string; vars: Record<string, string> },
): Promise<number> {
  if (n.key.length === 0 || n.key.length > 180 || n.key.includes('\u0000'))
    throw new AppError('REQ_VALIDATION', 'A notice key has 1 to 180 characters and no NUL', {
      key: n.key.slice(0, 200),
    });
  // PostgreSQL text holds no NUL: a stray one in a value is dropped rather than failing the caller
  const given = Object.fromEntries(
    Object.entries(n.vars).map(([k, v]) => [k, String(v).replaceAll('\u0000', '')]),
  );
  const [who] = (await tx.execute(sql`select a.tenant_id::text as "tenantId", c.name as "customerName",
      a.number as "accountNumber", c.phone, c.email, c.wechat_openid as "wechatOpenid",
      c.notify_channels as "optIn", t.name as "tenantName"
    from accounts a join tenants t on t.id = a.tenant_id join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
    where a.id = ${n.accountId}`)) as unknown as Recipient[];
  if (!who) return 0;
  const settings = await notifySettings(tx);
  const vars = {
    tenantName: who.tenantName,
    customerName: who.customerName,
    accountNumber: who.accountNumber,
    ...given,
  };
  const due = releaseTime(new Date(), n.event, settings);
  let added = 0;
  for (const channel of settings.channels) {
    const to = contactOf(who, channel);
    if (!to || !who.optIn.includes(channel)) continue;
    const text = await renderFor(tx, n.event, channel, vars);
    const rows = (await tx.execute(sql`insert into notify_outbox (tenant_id, message_id, account_id, event,
        channel, recipient, subject, body, vars, next_attempt_at)
      values (${who.tenantId}, ${`${n.key}:${channel}`}, ${n.accountId}, ${n.event}, ${channel}, ${to},
        ${text.subject}, ${text.body}, ${JSON.stringify(vars)}::jsonb, ${due.toISOString()})
      on conflict (tenant_id, message_id) do nothing returning id`)) as unknown as unknown[];
    added += rows.length;
  }
  if (added > 0) await kickNotify(who.tenantId, { tx, at: due });
  return added;
}

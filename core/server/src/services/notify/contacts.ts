import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { getCustomer, type Located } from '../archives/customers.ts';
import { canSeePii, maskPhone } from '../archives/masking.ts';
import type { Actor } from '../identity/actor.ts';
import type { NoticeChannel } from './events.ts';

export interface NotifyContacts {
  customerId: string;
  phone: string | null;
  email: string | null;
  wechatOpenid: string | null;
  /** the channels the customer agreed to be notified on */
  channels: NoticeChannel[];
}

export interface ContactsPatch {
  email?: string | null;
  wechatOpenid?: string | null;
  channels?: NoticeChannel[];
}

/** a***@example.cn; the domain stays so a clerk can tell a typo */
const maskEmail = (e: string | null) => {
  if (e === null) return null;
  const at = e.lastIndexOf('@');
  return at <= 0 ? '*'.repeat(e.length) : `${e[0]}***${e.slice(at)}`;
};
const maskOpenid = (o: string | null) =>
  o === null ? null : o.length <= 8 ? '*'.repeat(o.length) : `${o.slice(0, 4)}****${o.slice(-4)}`;

function dto(actor: Actor, c: Located): NotifyContacts {
  const pii = canSeePii(actor);
  return {
    customerId: c.id,
    phone: pii ? c.phone : maskPhone(c.phone),
    email: pii ? c.email : maskEmail(c.email),
    wechatOpenid: pii ? c.wechatOpenid : maskOpenid(c.wechatOpenid),
    channels: c.notifyChannels.filter((x): x is NoticeChannel => ['sms', 'wechat', 'email'].includes(x)),
  };
}

/** A customer's notice contacts (in the actor's areas; RESOURCE_NOT_FOUND otherwise), PII masked as for phones. */
export async function getContacts(tx: Tx, actor: Actor, customerId: string): Promise<NotifyContacts> {
  return dto(actor, await getCustomer(tx, actor, customerId));
}

/** Changes the e-mail, WeChat openid and opt-ins; answers what the actor sees and, for the audit, before and after masked. */
export async function saveContacts(tx: Tx, actor: Actor, customerId: string, p: ContactsPatch) {
  const before = await getCustomer(tx, actor, customerId, true);
  const channels = p.channels ? `{${[...new Set(p.channels)].join(',')}}` : null;
  await tx.execute(sql`update customers set
      email = ${p.email === undefined ? sql`email` : p.email},
      wechat_openid = ${p.wechatOpenid === undefined ? sql`wechat_openid` : p.wechatOpenid},
      notify_channels = coalesce(${channels}::text[], notify_channels), updated_at = now()
    where id = ${customerId}`);
  const after = await getCustomer(tx, actor, customerId);
  const masked: Actor = {
    ...actor,
    permissions: new Set([...actor.permissions].filter((k) => k !== 'customers.pii')),
  };
  return {
    before: dto(masked, before),
    after: dto(masked, after),
    shown: dto(actor, after),
    areaPath: after.areaPath,
  };
}

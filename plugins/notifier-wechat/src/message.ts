import { createHash } from 'node:crypto';
import { AppError, type NotifyMessage } from '@quadmeter/sdk';
import type { TemplateMessage } from './client.ts';
import type { WechatSettings } from './settings.ts';

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DATA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const CLIENT_MSG_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** the longest value sent; WeChat's own per-type limits (thing ≤ 20 …) are the template's business */
export const MAX_VALUE_CHARS = 200;
export const MAX_DATA_KEYS = 20;

/** Data keys starting with `_` steer the message instead of filling the template. */
export const URL_KEY = '_url';
export const PAGEPATH_KEY = '_pagepath';

function invalid(message: string, details?: unknown): AppError {
  return new AppError('REQ_VALIDATION', message, details);
}

/**
 * Our id as WeChat's `client_msg_id` (its resend guard per recipient): the id itself when short and
 * plain, else its SHA-256 in hex.
 */
export function clientMsgId(id: string): string {
  return CLIENT_MSG_ID.test(id) ? id : createHash('sha256').update(id).digest('hex');
}

/**
 * The template-message body for a notice: touser = openid, template_id from `message.template`,
 * data = every template variable as `{value}`; a tap opens the tenant's mini program page (or the
 * `_pagepath` given) when a mini program is set, else the `_url` given or the tenant's link.
 */
export function templateMessage(message: NotifyMessage, s: WechatSettings): TemplateMessage {
  if (!OPENID.test(message.to))
    throw invalid('The recipient must be an openid', { to: message.to.slice(0, 80) });
  const template = message.template ?? '';
  if (!TEMPLATE_ID.test(template))
    throw invalid('A WeChat notice needs its template id', { template: template.slice(0, 80) });
  const data: Record<string, { value: string }> = {};
  let url = s.linkUrl;
  let pagepath = s.miniProgramPagePath;
  const entries = Object.entries(message.data ?? {});
  if (entries.length > MAX_DATA_KEYS + 2) throw invalid(`At most ${MAX_DATA_KEYS} template values`);
  for (const [key, value] of entries) {
    if (typeof value !== 'string' || value.length > MAX_VALUE_CHARS || value.includes('\u0000'))
      throw invalid(
        `Template value ${key.slice(0, 40)} must be text of at most ${MAX_VALUE_CHARS} characters`,
      );
    if (key === URL_KEY) {
      if (!/^https?:\/\/[!-~]{1,1000}$/.test(value)) throw invalid('_url must be an http(s) URL');
      url = value;
    } else if (key === PAGEPATH_KEY) {
      if (!/^[!-~]{1,300}$/.test(value)) throw invalid('_pagepath must be a page path');
      pagepath = value;
    } else if (DATA_KEY.test(key)) data[key] = { value };
    else throw invalid('Template keys are letters, digits and _', { key: key.slice(0, 40) });
  }
  if (Object.keys(data).length === 0) throw invalid('A WeChat template message needs at least one value');
  if (Object.keys(data).length > MAX_DATA_KEYS) throw invalid(`At most ${MAX_DATA_KEYS} template values`);
  return {
    touser: message.to,
    template_id: template,
    ...(url !== '' && { url }),
    ...(s.miniProgramAppId !== '' && {
      miniprogram: { appid: s.miniProgramAppId, pagepath: pagepath },
    }),
    client_msg_id: clientMsgId(message.id),
    data,
  };
}

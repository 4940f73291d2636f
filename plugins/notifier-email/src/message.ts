import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { AppError, type NotifyMessage } from '@quadmeter/sdk';
import type { EmailSettings } from './settings.ts';

/** One plain address; display names and lists are not accepted as a recipient. */
const ADDRESS =
  /^[^\s@<>(),;:"\\[\]\p{Cc}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/u;
const PLAIN_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_BODY_CHARS = 200_000;
export const MAX_SUBJECT_CHARS = 200;

function invalid(message: string, details?: unknown): AppError {
  return new AppError('REQ_VALIDATION', message, details);
}

/**
 * The Message-ID for our message id: `<id.tenant@sender-domain>`, the id kept as is when short and
 * plain, else its SHA-256 in hex. The tenant is in it so two tenants' equal ids never share one
 * (mail clients thread and drop duplicates by Message-ID).
 */
export function messageIdFor(tenantId: string, id: string, from: string): string {
  const local = PLAIN_ID.test(id) ? id : createHash('sha256').update(id).digest('hex');
  const tenant = /^[A-Za-z0-9-]{1,64}$/.test(tenantId)
    ? tenantId
    : createHash('sha256').update(tenantId).digest('hex').slice(0, 32);
  const domain = (from.split('@')[1] ?? '').toLowerCase() || 'quadmeter.invalid';
  return `<${local}.${tenant}@${domain}>`;
}

/** One plain address; an internationalised domain (例子.中国) is checked in its ASCII (punycode) form. */
export function isAddress(to: string): boolean {
  const at = to.lastIndexOf('@');
  if (at < 1 || to.length > 254) return false;
  const domain = to.slice(at + 1);
  const ascii = /^[\x21-\x7e]*$/.test(domain) ? domain : domainToASCII(domain);
  return ascii !== '' && ascii.length <= 253 && ADDRESS.test(`${to.slice(0, at)}@${ascii}`);
}

export interface MailParts {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

/**
 * The mail for a notice: one recipient address, the subject given (one line; else the body's first
 * line), the rendered body as UTF-8 text. Line breaks in a subject become spaces (no header can be
 * smuggled in); NUL bytes anywhere are refused.
 */
export function mailParts(message: NotifyMessage, s: EmailSettings): MailParts {
  const to = message.to.trim();
  if (!isAddress(to)) throw invalid('The recipient must be one e-mail address');
  if (typeof message.body !== 'string' || message.body.includes('\u0000'))
    throw invalid('The body must be text without NUL bytes');
  if (message.body.length > MAX_BODY_CHARS)
    throw invalid(`The body is longer than ${MAX_BODY_CHARS} characters`);
  if (message.body.trim() === '') throw invalid('The body is empty');
  const raw = message.subject ?? message.body.trim().split(/\r?\n/)[0];
  if (raw.includes('\u0000')) throw invalid('The subject must be text without NUL bytes');
  const subject = raw
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .trim()
    .slice(0, MAX_SUBJECT_CHARS);
  return { to, subject, text: message.body, messageId: messageIdFor(message.tenantId, message.id, s.from) };
}

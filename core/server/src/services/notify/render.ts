import { AppError } from '@quadmeter/sdk';
import Handlebars from 'handlebars';
import type { NoticeChannel } from './events.ts';

export interface NoticeText {
  subject: string;
  body: string;
}

// an environment of our own: no partials or helpers registered beyond Handlebars' built-ins
const hb = Handlebars.create();

const MAX_OUTPUT = 16_000;

function compile(source: string, channel: NoticeChannel) {
  return hb.compile(source, {
    // sms and WeChat are plain text; e-mail is HTML and escapes every variable
    noEscape: channel !== 'email',
    knownHelpersOnly: true,
    strict: false,
    preventIndent: true,
  });
}

function renderOne(
  source: string,
  channel: NoticeChannel,
  vars: Record<string, string>,
  part: string,
): string {
  let out: string;
  try {
    out = compile(source, channel)({ ...vars });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new AppError('NOTIFY_TEMPLATE_INVALID', `The ${part} template does not render: ${message}`, {
      part,
      reason: message.slice(0, 300),
    });
  }
  if (out.length > MAX_OUTPUT)
    throw new AppError('NOTIFY_TEMPLATE_INVALID', `The rendered ${part} is longer than ${MAX_OUTPUT}`, {
      part,
      reason: 'too long',
    });
  return out;
}

/** Renders a template (subject and body) for a channel; NOTIFY_TEMPLATE_INVALID on any error. */
export function renderNotice(
  t: NoticeText,
  channel: NoticeChannel,
  vars: Record<string, string>,
): NoticeText {
  // a subject line is a header, never HTML: rendered as plain text on every channel
  const subject = t.subject
    ? renderOne(t.subject, 'sms', vars, 'subject')
        .replace(/[\r\n]+/g, ' ')
        .trim()
    : '';
  return { subject, body: renderOne(t.body, channel, vars, 'body').trim() };
}

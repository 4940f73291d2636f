import { AppError } from '@quadmeter/sdk';
import { renderSandboxed, TemplateFault } from '../templating/sandbox.ts';
import type { NoticeChannel } from './events.ts';

export interface NoticeText {
  subject: string;
  body: string;
}

const MAX_OUTPUT = 16_000;

function renderOne(
  source: string,
  channel: NoticeChannel,
  vars: Record<string, string>,
  part: string,
): string {
  try {
    // sms and WeChat are plain text; e-mail is HTML and escapes every variable
    return renderSandboxed(source, { ...vars }, { noEscape: channel !== 'email', maxOutput: MAX_OUTPUT });
  } catch (err) {
    const f = err instanceof TemplateFault ? err : new TemplateFault(String(err), null, null);
    throw new AppError('NOTIFY_TEMPLATE_INVALID', `The ${part} template does not render: ${f.message}`, {
      part,
      reason: f.message,
      line: f.line,
      column: f.column,
    });
  }
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

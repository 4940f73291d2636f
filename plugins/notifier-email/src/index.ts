import {
  AppError,
  type CoreApi,
  defineNotifier,
  type PluginContext,
  SDK_API_VERSION,
  SentLog,
  stateFor,
} from '@quadmeter/sdk';
import { classifyEmail } from './classify.ts';
import { mailParts } from './message.ts';
import { type EmailSettings, tenantSettings } from './settings.ts';
import { Transports } from './transport.ts';

interface State {
  transports: Transports;
  sent: SentLog;
}

const states = new WeakMap<CoreApi, State>();
const state = (ctx: PluginContext<unknown>) =>
  stateFor(states, ctx.core, () => ({ transports: new Transports(), sent: new SentLog() }));

async function settingsOf(ctx: PluginContext<unknown>, tenantId: string): Promise<EmailSettings> {
  const parsed = tenantSettings.safeParse(await ctx.core.tenantSettings(tenantId));
  if (!parsed.success)
    throw new AppError('PLUGIN_SETTINGS_INVALID', 'The e-mail settings of this tenant do not parse');
  const s = parsed.data;
  if (s.host === '' || s.from === '')
    throw new AppError(
      'PLUGIN_SETTINGS_INVALID',
      'E-mail is not configured for this tenant (server, sender)',
    );
  return s;
}

/** Notices as e-mail through the tenant's SMTP server. */
export default defineNotifier<unknown, EmailSettings>({
  kind: 'notifier',
  id: 'notifier-email',
  version: '0.1.0',
  apiVersion: SDK_API_VERSION,
  title: { 'zh-CN': '电子邮件（SMTP）', en: 'E-mail (SMTP)' },
  channel: 'email',
  tenantSettings,
  async send(message, ctx) {
    const s = await settingsOf(ctx, message.tenantId);
    const mail = mailParts(message, s);
    const { transports, sent } = state(ctx);
    return sent.once(`${message.tenantId}\u0000${message.id}`, async () => {
      const info = await transports.get(s).sendMail({
        from: s.fromName === '' ? s.from : { name: s.fromName, address: s.from },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        textEncoding: 'base64',
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return typeof info.messageId === 'string' ? info.messageId : mail.messageId;
    });
  },
  classify: classifyEmail,
  async health(ctx) {
    return { ok: true, detail: `${state(ctx).sent.size} messages remembered` };
  },
  async stop(ctx) {
    state(ctx).transports.closeAll();
  },
});

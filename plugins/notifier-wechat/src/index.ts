import {
  AppError,
  type CoreApi,
  defineNotifier,
  type PluginContext,
  SDK_API_VERSION,
  SentLog,
  stateFor,
} from '@quadmeter/sdk';
import { classifyWechat } from './classify.ts';
import { WechatClient } from './client.ts';
import { templateMessage } from './message.ts';
import { tenantSettings, type WechatSettings } from './settings.ts';

interface State {
  client: WechatClient;
  sent: SentLog;
}

const states = new WeakMap<CoreApi, State>();
const state = (ctx: PluginContext<unknown>) =>
  stateFor(states, ctx.core, () => ({ client: new WechatClient(), sent: new SentLog() }));

async function settingsOf(ctx: PluginContext<unknown>, tenantId: string): Promise<WechatSettings> {
  const parsed = tenantSettings.safeParse(await ctx.core.tenantSettings(tenantId));
  if (!parsed.success)
    throw new AppError('PLUGIN_SETTINGS_INVALID', 'The WeChat settings of this tenant do not parse');
  const s = parsed.data;
  if (s.appId === '' || s.appSecret === '')
    throw new AppError(
      'PLUGIN_SETTINGS_INVALID',
      'WeChat is not configured for this tenant (AppID/AppSecret)',
    );
  return s;
}

/** Notices as WeChat official-account template messages (模板消息). */
export default defineNotifier<unknown, WechatSettings>({
  kind: 'notifier',
  id: 'notifier-wechat',
  version: '0.1.0',
  apiVersion: SDK_API_VERSION,
  title: { 'zh-CN': '微信公众号模板消息', en: 'WeChat official account template messages' },
  channel: 'wechat',
  tenantSettings,
  async send(message, ctx) {
    const s = await settingsOf(ctx, message.tenantId);
    const body = templateMessage(message, s);
    const { client, sent } = state(ctx);
    return sent.once(`${message.tenantId}\u0000${message.id}`, () =>
      client.sendTemplate(s, body, ctx.signal),
    );
  },
  classify: classifyWechat,
  async health(ctx) {
    const { client, sent } = state(ctx);
    return { ok: true, detail: `${client.tokenFetches} token fetches, ${sent.size} messages remembered` };
  },
  async stop(ctx) {
    state(ctx).client.clear();
  },
});

import { defineNotifier } from '@quadmeter/sdk';
import { classifySmsError } from './classify.ts';
import { sendSms } from './client.ts';
import { configSchema, isReady } from './config.ts';

export default defineNotifier({
  kind: 'notifier',
  id: 'notifier-sms',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '短信通知（签名 HTTP 网关）', en: 'SMS notices (signed HTTP gateway)' },
  channel: 'sms',
  config: configSchema,
  send: (message, ctx) => sendSms(ctx.config, message, ctx.signal),
  classify: classifySmsError,
  health: (ctx) =>
    isReady(ctx.config) ? { ok: true } : { ok: false, detail: 'the gateway is not configured' },
});

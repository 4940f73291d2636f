import { secret, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';

/**
 * Instance-wide gateway account (QUADMETER_PLUGIN_NOTIFIER_SMS or the plugins config file). Every
 * field may be left out so the platform starts without an SMS account; sends then fail with
 * SMS_NOT_CONFIGURED (retried, so notices go out once the operator configures the gateway).
 */
export const configSchema = z.object({
  /** the gateway's send URL, e.g. https://sms.example.com/v1/sms/send */
  endpoint: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta(settingMeta({ 'zh-CN': '短信网关地址', en: 'SMS gateway URL' })),
  appKey: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .meta(settingMeta({ 'zh-CN': '应用标识（AppKey）', en: 'App key' })),
  appSecret: secret(z.string().min(8).max(256))
    .optional()
    .meta(settingMeta({ 'zh-CN': '应用密钥', en: 'App secret' })),
  /** the 签名 the gateway puts in front of every message, e.g. 示范水务 */
  signName: z
    .string()
    .min(1)
    .max(32)
    .optional()
    .meta(settingMeta({ 'zh-CN': '短信签名', en: 'Sign name' })),
  /** a request without an answer by then is abandoned (and retried by the outbox) */
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});

export type SmsConfig = z.infer<typeof configSchema>;
export type ReadyConfig = Required<SmsConfig>;

export const isReady = (c: SmsConfig): c is ReadyConfig =>
  Boolean(c.endpoint && c.appKey && c.appSecret && c.signName);

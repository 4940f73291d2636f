import { secret, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';

/**
 * Per tenant: the MQTT broker ChirpStack publishes to, the application whose uplinks are this
 * tenant's, and the broker credentials. An empty broker URL or application id subscribes nothing.
 */
export const tenantSettings = z.object({
  brokerUrl: z
    .string()
    .max(300)
    .regex(/^(?:$|mqtts?:\/\/[!-~]+)$/, 'an mqtt:// or mqtts:// URL')
    .default('')
    .meta(
      settingMeta(
        { 'zh-CN': 'MQTT 服务器地址', en: 'MQTT broker URL' },
        {
          'zh-CN': '如 mqtt://127.0.0.1:1883；留空则不订阅',
          en: 'e.g. mqtt://127.0.0.1:1883; empty subscribes nothing',
        },
      ),
    ),
  applicationId: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9-]*$/, 'letters, digits and -')
    .default('')
    .meta(settingMeta({ 'zh-CN': 'ChirpStack 应用 ID', en: 'ChirpStack application id' })),
  username: z
    .string()
    .max(200)
    .default('')
    .meta(settingMeta({ 'zh-CN': 'MQTT 用户名', en: 'MQTT user name' })),
  password: secret(z.string().max(200))
    .default('')
    .meta(settingMeta({ 'zh-CN': 'MQTT 密码', en: 'MQTT password' })),
  topicPrefix: z
    .string()
    .max(100)
    .regex(/^[!-~]*$/, 'printable ASCII')
    .refine((v) => !/[#+]/.test(v), 'no wildcards')
    .default('')
    .meta(
      settingMeta(
        { 'zh-CN': '主题前缀', en: 'Topic prefix' },
        { 'zh-CN': '共用服务器时加在 application/… 前', en: 'Put before application/… on a shared broker' },
      ),
    ),
});

export type LoraSettings = z.infer<typeof tenantSettings>;

/** The topic a tenant's uplinks arrive on. */
export function upTopic(s: LoraSettings): string {
  return `${s.topicPrefix}application/${s.applicationId}/device/+/event/up`;
}

/** The topic of one of the tenant's device events (`ack`, `txack`), every device. */
export function eventTopic(s: LoraSettings, event: 'ack' | 'txack'): string {
  return `${s.topicPrefix}application/${s.applicationId}/device/+/event/${event}`;
}

import { secret, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';

/**
 * The Alipay application (QUADMETER_PLUGIN_PAYMENT_ALIPAY or the plugins config file). Every
 * account field may be left out so the platform starts without one; orders then fail with
 * PAY_NOT_CONFIGURED and every notification is refused.
 */
export const configSchema = z.object({
  /** the gateway URL; the loopback sandbox's in the demo and the tests */
  endpoint: z
    .url({ protocol: /^https?$/ })
    .default('https://openapi.alipay.com/gateway.do')
    .meta(settingMeta({ 'zh-CN': '网关地址', en: 'Gateway URL' })),
  appId: z
    .string()
    .regex(/^[0-9]{1,32}$/)
    .optional()
    .meta(settingMeta({ 'zh-CN': '应用 APPID', en: 'App id' })),
  /** the merchant's Alipay user id (2088…): a notification for another seller is refused */
  sellerId: z
    .string()
    .regex(/^2088[0-9]{12}$/)
    .optional()
    .meta(settingMeta({ 'zh-CN': '卖家支付宝用户号（2088…）', en: 'Seller id (2088…)' })),
  appPrivateKey: secret(z.string().min(64).max(10_000))
    .optional()
    .meta(settingMeta({ 'zh-CN': '应用私钥（PEM）', en: 'App private key (PEM)' })),
  /** the Alipay public key (not the app's): verifies notifications and answers */
  alipayPublicKey: z
    .string()
    .min(64)
    .max(10_000)
    .optional()
    .meta(settingMeta({ 'zh-CN': '支付宝公钥（PEM）', en: 'Alipay public key (PEM)' })),
  /** a notification whose notify_time is further than this from our clock is refused (seconds) */
  maxSkewSec: z.number().int().min(60).max(86_400).default(900),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});

export type AlipayConfig = z.infer<typeof configSchema>;
export type ReadyConfig = AlipayConfig &
  Required<Pick<AlipayConfig, 'appId' | 'sellerId' | 'appPrivateKey' | 'alipayPublicKey'>>;

export const isReady = (c: AlipayConfig): c is ReadyConfig =>
  Boolean(c.appId && c.sellerId && c.appPrivateKey && c.alipayPublicKey);

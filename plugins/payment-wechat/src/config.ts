import { secret, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';

/**
 * The merchant account (QUADMETER_PLUGIN_PAYMENT_WECHAT or the plugins config file). Every
 * account field may be left out so the platform starts without one; orders then fail with
 * PAY_NOT_CONFIGURED and every notification is refused.
 */
export const configSchema = z.object({
  /** the API host; the loopback sandbox's URL in the demo and the tests */
  endpoint: z
    .url({ protocol: /^https?$/ })
    .default('https://api.mch.weixin.qq.com')
    .meta(settingMeta({ 'zh-CN': '接口地址', en: 'API endpoint' })),
  mchid: z
    .string()
    .regex(/^[0-9]{1,32}$/)
    .optional()
    .meta(settingMeta({ 'zh-CN': '商户号', en: 'Merchant id (mchid)' })),
  appid: z
    .string()
    .regex(/^[0-9A-Za-z_]{1,32}$/)
    .optional()
    .meta(settingMeta({ 'zh-CN': '应用 AppID', en: 'App id' })),
  /** the APIv3 key: 32 characters, used as the AES-256-GCM key of notification resources */
  apiV3Key: secret(z.string().length(32))
    .optional()
    .meta(settingMeta({ 'zh-CN': 'APIv3 密钥', en: 'APIv3 key' })),
  merchantSerial: z
    .string()
    .regex(/^[0-9A-Za-z_]{1,64}$/)
    .optional()
    .meta(settingMeta({ 'zh-CN': '商户证书序列号', en: 'Merchant certificate serial' })),
  merchantPrivateKey: secret(z.string().min(64).max(10_000))
    .optional()
    .meta(settingMeta({ 'zh-CN': '商户私钥（PEM）', en: 'Merchant private key (PEM)' })),
  /**
   * serial → PEM: platform certificates (their serial) and the WeChat Pay public key
   * (`PUB_KEY_ID_…`); keep both during a switch.
   */
  platformKeys: z
    .record(z.string().regex(/^[0-9A-Za-z_]{1,64}$/), z.string().min(64).max(10_000))
    .default({})
    .meta(settingMeta({ 'zh-CN': '微信支付平台证书/公钥', en: 'Platform certificates and public keys' })),
  /** a callback whose timestamp is further than this from our clock is refused (seconds) */
  maxSkewSec: z.number().int().min(30).max(900).default(300),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});

export type WechatConfig = z.infer<typeof configSchema>;
export type ReadyConfig = WechatConfig &
  Required<Pick<WechatConfig, 'mchid' | 'appid' | 'apiV3Key' | 'merchantSerial' | 'merchantPrivateKey'>>;

export const isReady = (c: WechatConfig): c is ReadyConfig =>
  Boolean(c.mchid && c.appid && c.apiV3Key && c.merchantSerial && c.merchantPrivateKey);

import { secret, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';

const Pem = z.string().min(64).max(10_000);

/**
 * The merchant account (QUADMETER_PLUGIN_PAYMENT_UNIONPAY or the plugins config file). Every
 * account field may be left out so the platform starts without one; orders then fail with
 * PAY_NOT_CONFIGURED and every notification is refused.
 */
export const configSchema = z.object({
  /** the gateway host; the loopback sandbox's URL in the demo and the tests */
  endpoint: z
    .url({ protocol: /^https?$/ })
    .default('https://gateway.95516.com')
    .meta(settingMeta({ 'zh-CN': '接口地址', en: 'Gateway endpoint' })),
  merId: z
    .string()
    .regex(/^[0-9A-Za-z]{15}$/)
    .optional()
    .meta(settingMeta({ 'zh-CN': '商户号 merId', en: 'Merchant id (merId)' })),
  /** the serial (certId) of the merchant's signing certificate, sent with every request */
  certId: z
    .string()
    .regex(/^[0-9]{1,64}$/)
    .optional()
    .meta(settingMeta({ 'zh-CN': '签名证书 certId', en: 'Signing certificate id (certId)' })),
  merchantPrivateKey: secret(Pem)
    .optional()
    .meta(settingMeta({ 'zh-CN': '商户签名私钥（PEM）', en: 'Merchant signing key (PEM)' })),
  /** UnionPay's root and middle certificates: every signPubKeyCert must chain to them */
  rootCert: Pem.optional().meta(settingMeta({ 'zh-CN': '银联根证书', en: 'UnionPay root certificate' })),
  middleCert: Pem.optional().meta(
    settingMeta({ 'zh-CN': '银联中级证书', en: 'UnionPay middle certificate' }),
  ),
  /** the signing certificate's CN must name UnionPay; off only against the provider's test environment */
  validateCnName: z.boolean().default(true),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});

export type UnionpayConfig = z.infer<typeof configSchema>;
export type ReadyConfig = UnionpayConfig &
  Required<Pick<UnionpayConfig, 'merId' | 'certId' | 'merchantPrivateKey' | 'rootCert' | 'middleCert'>>;

export const isReady = (c: UnionpayConfig): c is ReadyConfig =>
  Boolean(c.merId && c.certId && c.merchantPrivateKey && c.rootCert && c.middleCert);

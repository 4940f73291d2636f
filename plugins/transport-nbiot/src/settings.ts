import { secret, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';

const names = { ctwing: 'CTWing', onenet: 'OneNET', iotda: 'IoTDA' } as const;

function token(p: keyof typeof names) {
  const signed = p === 'onenet';
  return secret(z.string().max(200))
    .default('')
    .meta(
      settingMeta(
        { 'zh-CN': `${names[p]} 推送令牌`, en: `${names[p]} push token` },
        signed
          ? {
              'zh-CN': '平台为推送签名所用的令牌；留空则不接收该平台',
              en: 'The token the platform signs pushes with; empty turns the platform off',
            }
          : {
              'zh-CN': '推送地址须带 ?token=此值；留空则不接收该平台',
              en: 'The push URL must carry ?token=<this value>; empty turns the platform off',
            },
      ),
    );
}

/** An http(s) base URL of a platform's open API (a local simulator in the demo and tests). */
function apiUrl(p: keyof typeof names, fallback: string) {
  return z
    .string()
    .max(300)
    .regex(/^https?:\/\/[!-~]+$/, 'an http:// or https:// URL')
    .default(fallback)
    .meta(
      settingMeta(
        { 'zh-CN': `${names[p]} 开放接口地址`, en: `${names[p]} open API URL` },
        { 'zh-CN': '下发命令所调用的接口根地址', en: 'The base URL commands are sent to' },
      ),
    );
}

function plain(zh: string, en: string, max = 100) {
  return z
    .string()
    .max(max)
    .regex(/^[!-~]*$/, 'printable ASCII')
    .default('')
    .meta(settingMeta({ 'zh-CN': zh, en }));
}

function key(zh: string, en: string) {
  return secret(z.string().max(200))
    .default('')
    .meta(settingMeta({ 'zh-CN': zh, en }));
}

function deviceIdFrom(p: keyof typeof names) {
  return z
    .enum(['imei', 'platform'])
    .default('imei')
    .meta(
      settingMeta({ 'zh-CN': `${names[p]} 设备标识`, en: `${names[p]} device id` }, undefined, {
        imei: { 'zh-CN': 'IMEI（表计通信地址）', en: 'IMEI (the meter communication address)' },
        platform: { 'zh-CN': '平台设备 ID', en: 'Platform device id' },
      }),
    );
}

/**
 * Per tenant, per platform: the push token (OneNET: the token pushes are signed with; CTWing and
 * IoTDA sign nothing, so the push URL carries `?token=`), which device id routes name, the OneNET
 * secure-mode AES key and how IoTDA message content is encoded. An empty token turns the platform
 * off for the tenant.
 */
export const tenantSettings = z.object({
  ctwingToken: token('ctwing'),
  ctwingDeviceId: deviceIdFrom('ctwing'),
  onenetToken: token('onenet'),
  onenetAesKey: secret(z.string().max(64))
    .default('')
    .meta(
      settingMeta(
        { 'zh-CN': 'OneNET 消息加密密钥', en: 'OneNET message AES key' },
        { 'zh-CN': '安全模式（加密消息）推送时填写', en: 'Needed for secure-mode (enc_msg) pushes' },
      ),
    ),
  onenetDeviceId: deviceIdFrom('onenet'),
  iotdaToken: token('iotda'),
  iotdaDeviceId: deviceIdFrom('iotda'),
  onenetApiUrl: apiUrl('onenet', 'https://api.heclouds.com'),
  onenetApiKey: key('OneNET API 密钥（api-key）', 'OneNET API key (api-key)'),
  ctwingApiUrl: apiUrl('ctwing', 'https://ag-api.ctwing.cn'),
  ctwingAppKey: plain('CTWing 应用 AppKey', 'CTWing application AppKey'),
  ctwingAppSecret: key('CTWing 应用 AppSecret', 'CTWing application AppSecret'),
  ctwingMasterKey: key('CTWing 产品 MasterKey', 'CTWing product MasterKey'),
  ctwingProductId: plain('CTWing 产品 ID', 'CTWing product id', 20),
  iotdaApiUrl: apiUrl('iotda', 'https://iotda.cn-north-4.myhuaweicloud.com'),
  iotdaProjectId: plain('IoTDA 项目 ID', 'IoTDA project id', 64),
  iotdaAuthToken: key('IoTDA 访问令牌（X-Auth-Token）', 'IoTDA access token (X-Auth-Token)'),
  iotdaContentEncoding: z
    .enum(['auto', 'hex', 'base64'])
    .default('auto')
    .meta(
      settingMeta({ 'zh-CN': 'IoTDA 消息内容编码', en: 'IoTDA message content encoding' }, undefined, {
        auto: { 'zh-CN': '自动识别', en: 'Detect' },
        hex: { 'zh-CN': '十六进制', en: 'Hex' },
        base64: { 'zh-CN': 'Base64', en: 'Base64' },
      }),
    ),
});

export type NbiotSettings = z.infer<typeof tenantSettings>;
export type NbPlatform = 'ctwing' | 'onenet' | 'iotda';

/** One platform's part of the settings. */
export function platformSettings(s: NbiotSettings, p: NbPlatform) {
  const pick = {
    ctwing: { token: s.ctwingToken, deviceIdFrom: s.ctwingDeviceId },
    onenet: { token: s.onenetToken, deviceIdFrom: s.onenetDeviceId },
    iotda: { token: s.iotdaToken, deviceIdFrom: s.iotdaDeviceId },
  };
  return pick[p];
}

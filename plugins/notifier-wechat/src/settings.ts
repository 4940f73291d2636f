import { secret, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';

const printable = /^[!-~]*$/;

/**
 * Per tenant: the official account (服务号) that sends template messages, and where its API is
 * (the real host by default; the loopback sandbox in tests and the demo). An empty AppID turns the
 * channel off for the tenant.
 */
export const tenantSettings = z.object({
  appId: z
    .string()
    .max(64)
    .regex(printable, 'printable ASCII')
    .default('')
    .meta(
      settingMeta(
        { 'zh-CN': '公众号 AppID', en: 'Official account AppID' },
        { 'zh-CN': '留空则不发送微信通知', en: 'Empty turns WeChat notices off' },
      ),
    ),
  appSecret: secret(z.string().max(128).regex(printable, 'printable ASCII'))
    .default('')
    .meta(settingMeta({ 'zh-CN': '公众号 AppSecret', en: 'Official account AppSecret' })),
  apiUrl: z
    .string()
    .max(300)
    .regex(/^https?:\/\/[!-~]+$/, 'an http:// or https:// URL')
    .default('https://api.weixin.qq.com')
    .meta(
      settingMeta(
        { 'zh-CN': '微信接口地址', en: 'WeChat API URL' },
        { 'zh-CN': '接口根地址（测试时指向本地沙箱）', en: 'The API base URL (the local sandbox in tests)' },
      ),
    ),
  linkUrl: z
    .string()
    .max(1000)
    .regex(/^(https?:\/\/[!-~]+)?$/, 'an http:// or https:// URL')
    .default('')
    .meta(
      settingMeta(
        { 'zh-CN': '点击跳转网页', en: 'Link opened on tap' },
        { 'zh-CN': '留空则消息不跳转', en: 'Empty: the message opens nothing' },
      ),
    ),
  miniProgramAppId: z
    .string()
    .max(64)
    .regex(printable, 'printable ASCII')
    .default('')
    .meta(
      settingMeta(
        { 'zh-CN': '跳转小程序 AppID', en: 'Mini program AppID opened on tap' },
        { 'zh-CN': '填写后优先于网页链接', en: 'When set, it takes precedence over the link' },
      ),
    ),
  miniProgramPagePath: z
    .string()
    .max(300)
    .regex(printable, 'printable ASCII')
    .default('')
    .meta(settingMeta({ 'zh-CN': '小程序页面路径', en: 'Mini program page path' })),
});

export type WechatSettings = z.infer<typeof tenantSettings>;

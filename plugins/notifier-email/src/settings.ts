import { secret, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';

const printable = /^[!-~]*$/;

/**
 * Per tenant: the SMTP server notices leave through and the sender they carry. An empty host turns
 * e-mail off for the tenant.
 */
export const tenantSettings = z.object({
  host: z
    .string()
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]*$/, 'a host name or IP address')
    .default('')
    .meta(
      settingMeta(
        { 'zh-CN': 'SMTP 服务器', en: 'SMTP server' },
        { 'zh-CN': '留空则不发送邮件通知', en: 'Empty turns e-mail notices off' },
      ),
    ),
  port: z
    .number()
    .int()
    .min(1)
    .max(65_535)
    .default(587)
    .meta(settingMeta({ 'zh-CN': 'SMTP 端口', en: 'SMTP port' })),
  security: z
    .enum(['starttls', 'tls', 'auto', 'none'])
    .default('starttls')
    .meta(
      settingMeta({ 'zh-CN': '加密方式', en: 'Encryption' }, undefined, {
        starttls: { 'zh-CN': 'STARTTLS（必须，常用 587 端口）', en: 'STARTTLS, required (port 587)' },
        tls: { 'zh-CN': 'SSL/TLS（常用 465 端口）', en: 'Implicit TLS (port 465)' },
        auto: { 'zh-CN': '服务器支持时使用 STARTTLS', en: 'STARTTLS when the server offers it' },
        none: { 'zh-CN': '不加密（仅限内网）', en: 'None (internal networks only)' },
      }),
    ),
  allowSelfSigned: z
    .boolean()
    .default(false)
    .meta(
      settingMeta(
        { 'zh-CN': '接受自签名证书', en: 'Accept a self-signed certificate' },
        { 'zh-CN': '仅用于内部邮件服务器', en: 'For internal mail servers only' },
      ),
    ),
  user: z
    .string()
    .max(254)
    .regex(printable, 'printable ASCII')
    .default('')
    .meta(
      settingMeta(
        { 'zh-CN': '登录用户名', en: 'User name' },
        { 'zh-CN': '留空则不登录', en: 'Empty: no authentication' },
      ),
    ),
  password: secret(z.string().max(256))
    .default('')
    .meta(settingMeta({ 'zh-CN': '登录密码（授权码）', en: 'Password (app password)' })),
  from: z
    .string()
    .max(254)
    .regex(/^([^\s@<>(),;:"\\[\]]{1,64}@[A-Za-z0-9.-]{1,253})?$/, 'an e-mail address')
    .default('')
    .meta(settingMeta({ 'zh-CN': '发件人地址', en: 'Sender address' })),
  fromName: z
    .string()
    .max(100)
    .regex(/^\P{Cc}*$/u, 'one line')
    .default('')
    .meta(settingMeta({ 'zh-CN': '发件人名称', en: 'Sender name' })),
});

export type EmailSettings = z.infer<typeof tenantSettings>;

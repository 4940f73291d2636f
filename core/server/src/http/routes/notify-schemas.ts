import { noticeChannels, noticeEvents } from '../../services/notify/events.ts';
import { int32, text, z } from '../route-kit.ts';

export const TemplateParams = z.object({
  event: text(1, 40).openapi({ param: { name: 'event', in: 'path' } }),
  channel: text(1, 20).openapi({ param: { name: 'channel', in: 'path' } }),
});

export const TemplateItem = z
  .object({
    event: z.enum(noticeEvents),
    channel: z.enum(noticeChannels),
    source: z.enum(['tenant', 'default']),
    subject: z.string(),
    body: z.string(),
    defaultSubject: z.string(),
    defaultBody: z.string(),
    updatedAt: z.string().nullable(),
  })
  .openapi('NoticeTemplate');

export const TemplateList = z.object({ items: z.array(TemplateItem) }).openapi('NoticeTemplateList');

export const TemplateBody = z
  .object({ subject: text(0, 200).default(''), body: text(1, 8000) })
  .strict()
  .openapi('NoticeTemplateBody');

const Vars = z
  .record(text(1, 64), text(0, 500))
  .refine((v) => Object.keys(v).length <= 50, 'at most 50 variables');

export const PreviewBody = z
  .object({
    event: z.enum(noticeEvents),
    channel: z.enum(noticeChannels),
    subject: text(0, 200).default(''),
    body: text(1, 8000),
    /** values to render with; the sample values fill in the rest */
    vars: Vars.optional(),
  })
  .strict()
  .openapi('NoticePreviewBody');

export const PreviewResult = z.object({ subject: z.string(), body: z.string() }).openapi('NoticePreview');

const hhmm = text(5, 5).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const timeZone = text(1, 64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone');

export const NotifySettingsBody = z
  .object({
    channels: z.array(z.enum(noticeChannels)).max(3),
    quietStart: hhmm,
    quietEnd: hhmm,
    timeZone,
    urgentEvents: z.array(z.enum(noticeEvents)).max(noticeEvents.length),
    maxAttempts: int32(1, 20),
    backoffSeconds: int32(1, 86_400),
  })
  .strict()
  .openapi('NotifySettings');

export const DeliveryQuery = z.object({
  accountId: z.uuid().optional(),
  event: z.enum(noticeEvents).optional(),
  channel: z.enum(noticeChannels).optional(),
  outcome: z.enum(['sent', 'duplicate', 'retry', 'failed']).optional(),
  /** keyset: entries older than this id */
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const DeliveryItem = z
  .object({
    id: z.string(),
    at: z.string(),
    messageId: z.string(),
    accountId: z.string(),
    accountNumber: z.string(),
    customerName: z.string(),
    event: z.string(),
    channel: z.string(),
    attempt: z.number(),
    outcome: z.string(),
    providerId: z.string().nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
  })
  .openapi('NoticeDelivery');

export const DeliveryList = z
  .object({ items: z.array(DeliveryItem), next: z.string().nullable() })
  .openapi('NoticeDeliveryList');

export const CustomerParam = z.object({
  customerId: z.uuid().openapi({ param: { name: 'customerId', in: 'path' } }),
});

export const NotifyContacts = z
  .object({
    customerId: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    wechatOpenid: z.string().nullable(),
    channels: z.array(z.enum(noticeChannels)),
  })
  .openapi('NotifyContacts');

export const NotifyContactsPatch = z
  .object({
    email: z.email().max(254).nullable().optional(),
    wechatOpenid: text(1, 128)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a WeChat openid')
      .nullable()
      .optional(),
    channels: z.array(z.enum(noticeChannels)).max(3).optional(),
  })
  .strict()
  .refine((o) => Object.values(o).some((v) => v !== undefined), {
    message: 'at least one field must be given',
  })
  .openapi('NotifyContactsPatch');

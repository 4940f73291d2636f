import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

// Customer notices: templates per event and channel (tenant overrides of the shipped defaults,
// with a live preview), the delivery log of every send attempt and the tenant's notify settings.

export type NoticeTemplate = Schema<'NoticeTemplate'>;
export type NoticeEvent = NoticeTemplate['event'];
export type NoticeChannel = NoticeTemplate['channel'];
export type NotifySettings = Schema<'NotifySettings'>;
export type NoticeDelivery = Schema<'NoticeDelivery'>;
export type DeliveryQuery = QueryOf<'/notify/deliveries'>;
export type PreviewBody = BodyOf<'/notify/templates/preview', 'post'>;
export type NotifyContacts = Schema<'NotifyContacts'>;
export type NotifyContactsPatch = BodyOf<'/notify/contacts/{customerId}', 'patch'>;

export const NOTICE_EVENTS = [
  'low-balance-1',
  'low-balance-2',
  'overdraft',
  'cut-warning',
  'cut-done',
  'reconnected',
  'payment-received',
] as const satisfies readonly NoticeEvent[];
export const NOTICE_CHANNELS = ['sms', 'wechat', 'email'] as const satisfies readonly NoticeChannel[];
export const DELIVERY_OUTCOMES = ['sent', 'duplicate', 'retry', 'failed'] as const;

const tpl = (event: string, channel: string) =>
  `/notify/templates/${encodeURIComponent(event)}/${encodeURIComponent(channel)}`;

export const notifyApi = {
  templates: () => http.get<ReplyOf<'/notify/templates'>>('/notify/templates'),
  saveTemplate: (event: NoticeEvent, channel: NoticeChannel, body: { subject: string; body: string }) =>
    http.put<NoticeTemplate>(tpl(event, channel), body),
  resetTemplate: (event: NoticeEvent, channel: NoticeChannel) => http.del(tpl(event, channel)),
  preview: (body: PreviewBody) =>
    http.post<ReplyOf<'/notify/templates/preview', 'post'>>('/notify/templates/preview', body),
  deliveries: (q: DeliveryQuery) => http.get<ReplyOf<'/notify/deliveries'>>('/notify/deliveries', q),
  settings: () => http.get<ReplyOf<'/notify/settings'>>('/notify/settings'),
  contacts: (customerId: string) =>
    http.get<NotifyContacts>(`/notify/contacts/${encodeURIComponent(customerId)}`),
  saveContacts: (customerId: string, body: NotifyContactsPatch) =>
    http.patch<NotifyContacts>(`/notify/contacts/${encodeURIComponent(customerId)}`, body),
  saveSettings: (body: NotifySettings) =>
    http.put<ReplyOf<'/notify/settings', 'put'>>('/notify/settings', body),
};

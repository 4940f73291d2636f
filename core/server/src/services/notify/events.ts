/** The events that send a customer a notice (issue #11). */
export const noticeEvents = [
  'low-balance-1',
  'low-balance-2',
  'overdraft',
  'cut-warning',
  'cut-done',
  'reconnected',
  'payment-received',
] as const;

export type NoticeEvent = (typeof noticeEvents)[number];

/** The channels a notice goes out on; each is served by the notifier plugin of that `channel`. */
export const noticeChannels = ['sms', 'wechat', 'email'] as const;

export type NoticeChannel = (typeof noticeChannels)[number];

export const isNoticeEvent = (v: string): v is NoticeEvent => (noticeEvents as readonly string[]).includes(v);
export const isNoticeChannel = (v: string): v is NoticeChannel =>
  (noticeChannels as readonly string[]).includes(v);

/** Values the live preview fills in when the caller gives none (the variables templates may use). */
export const sampleVars: Readonly<Record<string, string>> = {
  customerName: '张三',
  accountNumber: 'A-000123',
  balanceYuan: '18.50',
  amountYuan: '100.00',
  thresholdYuan: '20.00',
  overdraftYuan: '50.00',
  cutAt: '2026-12-02 09:00',
  date: '2026-12-01',
  tenantName: '示范水务',
};

import { ref } from 'vue';

const zh = {
  title: '自助服务',
  loading: '加载中…',
  signIn: '微信授权登录',
  signingIn: '正在通过微信登录…',
  myAccounts: '我的户号',
  noAccounts: '还没有绑定户号。',
  bindAccount: '绑定户号',
  accountNumber: '户号',
  sendCode: '发送验证码',
  codeSent: '验证码已发送到户号登记的手机，{n} 分钟内有效。',
  code: '短信验证码',
  bySms: '短信验证',
  byId: '证件号验证',
  idDigits: '证件号后 6 位',
  idDigitsHint: '请输入开户时登记的身份证号最后 6 位（末位 X 不区分大小写）。',
  bind: '绑定',
  unbind: '解除绑定',
  unbindConfirm: '确定解除绑定此户号？',
  balance: '余额',
  yuan: '元',
  daysLeft: '按您近期的用量，约可再用 {n} 天',
  noEstimate: '近期没有扣费记录，暂无法估算可用天数',
  prepaid: '预付费状态',
  usage: '用量',
  daily: '近 30 天',
  monthly: '按月（含去年同期）',
  lastYear: '去年同期',
  meter: '表计',
  pay: '缴费',
  amount: '金额（元）',
  payNow: '微信支付',
  payBill: '缴此账单',
  waiting: '等待支付结果…',
  paid: '支付成功，已入账',
  receipt: '查看收据',
  bills: '账单',
  noBills: '暂无账单',
  payments: '缴费记录',
  noPayments: '暂无缴费记录',
  notices: '消息通知',
  noNotices: '暂无通知',
  back: '返回',
  logout: '退出',
  language: 'English',
  due: '到期',
  total: '合计',
  badAmount: '请输入 0.01 至 100000 元之间的金额',
  error: '出错了：{m}',
  states: {
    normal: '正常',
    alarm1: '余额偏低',
    alarm2: '余额不足',
    overdraft: '透支',
    cut_pending: '即将停供',
    cut: '已停供',
    reconnect_pending: '正在恢复供应',
  } as Record<string, string>,
  kinds: {
    'meter-water': '水表',
    'meter-power': '电表',
    'meter-gas': '燃气表',
    'meter-heat': '热量表',
  } as Record<string, string>,
};

const en: typeof zh = {
  title: 'Self-service',
  loading: 'Loading…',
  signIn: 'Sign in with WeChat',
  signingIn: 'Signing in through WeChat…',
  myAccounts: 'My accounts',
  noAccounts: 'No account bound yet.',
  bindAccount: 'Bind an account',
  accountNumber: 'Account number',
  sendCode: 'Send code',
  codeSent: 'A code was sent to the phone on file; it is valid for {n} minutes.',
  code: 'SMS code',
  bySms: 'By SMS',
  byId: 'By ID number',
  idDigits: 'Last 6 characters of the ID number',
  idDigitsHint: 'Enter the last 6 characters of the ID number on file (a final X in either case).',
  bind: 'Bind',
  unbind: 'Unbind',
  unbindConfirm: 'Unbind this account?',
  balance: 'Balance',
  yuan: 'CNY',
  daysLeft: 'About {n} days left at your usual use',
  noEstimate: 'No recent charges, so no estimate of days left',
  prepaid: 'Prepaid state',
  usage: 'Usage',
  daily: 'Last 30 days',
  monthly: 'Monthly (with last year)',
  lastYear: 'Last year',
  meter: 'Meter',
  pay: 'Pay',
  amount: 'Amount (CNY)',
  payNow: 'Pay with WeChat',
  payBill: 'Pay this bill',
  waiting: 'Waiting for the payment…',
  paid: 'Paid and credited',
  receipt: 'Receipt',
  bills: 'Bills',
  noBills: 'No bills',
  payments: 'Payments',
  noPayments: 'No payments',
  notices: 'Notices',
  noNotices: 'No notices',
  back: 'Back',
  logout: 'Sign out',
  language: '中文',
  due: 'due',
  total: 'Total',
  badAmount: 'Enter an amount from 0.01 to 100000',
  error: 'Something went wrong: {m}',
  states: {
    normal: 'Normal',
    alarm1: 'Balance low',
    alarm2: 'Balance very low',
    overdraft: 'Overdrawn',
    cut_pending: 'Supply cut soon',
    cut: 'Supply cut',
    reconnect_pending: 'Reconnecting',
  },
  kinds: { 'meter-water': 'Water', 'meter-power': 'Electricity', 'meter-gas': 'Gas', 'meter-heat': 'Heat' },
};

export const messages = { 'zh-CN': zh, en };
export type Locale = keyof typeof messages;
type Key = { [K in keyof typeof zh]: (typeof zh)[K] extends string ? K : never }[keyof typeof zh];

const saved = localStorage.getItem('qm-self-locale');
export const locale = ref<Locale>(saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN');

export function setLocale(l: Locale) {
  locale.value = l;
  localStorage.setItem('qm-self-locale', l);
  document.documentElement.lang = l;
}

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return messages[locale.value][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

export const stateName = (s: string) => messages[locale.value].states[s] ?? s;
export const kindName = (k: string) => messages[locale.value].kinds[k] ?? k;

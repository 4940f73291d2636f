import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Actor } from '../identity/actor.ts';
import type { PaymentMethod } from './payment-dto.ts';
import { paymentRow } from './payment-read.ts';
import { formatYuan, rmbWords } from './rmb-words.ts';

/** What a printed counter receipt shows (收费收据); amounts already in 元 text and 大写. */
export interface ReceiptView {
  tenantName: string;
  paymentId: string;
  receiptNo: string;
  paidAt: string;
  accountNumber: string;
  customerNumber: string;
  customerName: string;
  method: PaymentMethod;
  methodLabel: string;
  amountYuan: string;
  amountWords: string;
  tenderedYuan: string | null;
  changeYuan: string;
  terminalRef: string | null;
  cashierName: string;
  status: string;
  statusLabel: string;
  note: string;
}

const METHOD_LABEL = {
  cash: '现金',
  card: '刷卡',
  wechat: '微信支付',
  alipay: '支付宝',
  unionpay: '银联支付',
} as const;
const STATUS_LABEL = { posted: '已入账', reversal_requested: '冲正审批中', reversed: '已冲正' } as const;

/** `2026-11-30T08:05:00.000Z` → `2026-11-30 16:05:00` in the tenant's zone. */
export function localTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const v = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${v('year')}-${v('month')}-${v('day')} ${v('hour')}:${v('minute')}:${v('second')}`;
}

export async function receiptView(tx: Tx, actor: Actor, id: string, timeZone: string): Promise<ReceiptView> {
  const p = await paymentRow(tx, actor, id);
  const [tenant] = await tx.execute<{ name: string }>(
    sql`select name from tenants where id = current_setting('app.tenant_id')::uuid`,
  );
  return {
    tenantName: tenant?.name ?? '',
    paymentId: p.id,
    // short and readable at the counter; the full id is printed too
    receiptNo: p.id.replaceAll('-', '').slice(0, 12).toUpperCase(),
    paidAt: localTime(p.created_at, timeZone),
    accountNumber: p.account_number,
    customerNumber: p.customer_number,
    customerName: p.customer_name,
    method: p.method,
    methodLabel: METHOD_LABEL[p.method],
    amountYuan: formatYuan(BigInt(p.amount_fen)),
    amountWords: rmbWords(BigInt(p.amount_fen)),
    tenderedYuan: p.tendered_fen === null ? null : formatYuan(BigInt(p.tendered_fen)),
    changeYuan: formatYuan(BigInt(p.change_fen)),
    terminalRef: p.terminal_ref,
    cashierName:
      p.cashier_name ||
      (p.method === 'wechat' || p.method === 'alipay' || p.method === 'unionpay' ? '在线支付' : ''),
    status: p.status,
    statusLabel: STATUS_LABEL[p.status],
    note: p.note,
  };
}

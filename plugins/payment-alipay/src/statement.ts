import { AppError, Money, type Statement, type StatementLine } from '@quadmeter/sdk';
import { parseBeijing } from './sign.ts';

/** The columns of the business-detail bill (业务明细), as the sandbox writes it. */
export const BILL_COLUMNS = [
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '商品名称',
  '创建时间',
  '完成时间',
  '对方账户',
  '订单金额（元）',
  '商家实收（元）',
  '退款批次号/请求号',
  '服务费（元）',
  '备注',
] as const;

const bad = (line: number, why: string): never => {
  throw new AppError('FILE_UNREADABLE', `Alipay bill line ${line}: ${why}`, { line });
};

/** A signed yuan amount ('-12.30') as its absolute value in fen, by the digits. */
function fen(text: string, line: number): number {
  try {
    return Math.abs(Money.fromYuan(text.trim()));
  } catch {
    return bad(line, `amount '${text.slice(0, 20)}' is not yuan`);
  }
}

/**
 * Reads a business-detail bill (UTF-8 text): `#` comment lines, the header row, one row per
 * trade (业务类型 交易) or refund (退款, under its 退款批次号/请求号), then `#` totals. One
 * unreadable row refuses the whole file (FILE_UNREADABLE).
 */
export function readAlipayBill(s: Statement): StatementLine[] {
  let text: string;
  try {
    text =
      typeof s.content === 'string' ? s.content : new TextDecoder('utf-8', { fatal: true }).decode(s.content);
  } catch {
    return bad(1, 'the file is not UTF-8');
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
  if (first < 0) return bad(1, 'the bill has no header row');
  const header = lines[first].split(',').map((h) => h.trim());
  const at = new Map(header.map((h, i) => [h, i]));
  for (const col of [
    '支付宝交易号',
    '商户订单号',
    '业务类型',
    '完成时间',
    '订单金额（元）',
    '退款批次号/请求号',
    '服务费（元）',
  ])
    if (!at.has(col)) bad(first + 1, `the header has no ${col}`);
  const col = (f: string[], name: string) => (f[at.get(name) as number] ?? '').trim();
  const out: StatementLine[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const row = lines[i];
    if (row.trim() === '' || row.startsWith('#')) continue;
    const f = row.split(',');
    if (f.length !== header.length) bad(i + 1, 'not a bill row');
    const ts = parseBeijing(col(f, '完成时间')) ?? bad(i + 1, 'the time is not yyyy-MM-dd HH:mm:ss');
    const kind = col(f, '业务类型');
    const base = {
      orderId: col(f, '商户订单号'),
      amountFen: fen(col(f, '订单金额（元）'), i + 1),
      feeFen: fen(col(f, '服务费（元）'), i + 1),
      ts: ts.toISOString(),
    };
    if (kind === '交易') out.push({ ...base, providerTxnId: col(f, '支付宝交易号'), kind: 'payment' });
    else if (kind === '退款')
      out.push({ ...base, providerTxnId: col(f, '退款批次号/请求号'), kind: 'refund' });
    else bad(i + 1, `unknown business type '${kind.slice(0, 20)}'`);
  }
  return out;
}

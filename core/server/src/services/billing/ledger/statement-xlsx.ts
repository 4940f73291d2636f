import ExcelJS from 'exceljs';
import type { Statement } from './history.ts';

type Lang = 'zh-CN' | 'en';

const T = {
  'zh-CN': {
    sheet: '对账单',
    account: '账户',
    period: '期间',
    opening: '期初余额（元）',
    closing: '期末余额（元）',
    head: ['记账日期', '类型', '类别', '摘要', '金额（元）', '余额（元）', '业务键'],
    open: '未结欠费',
    openHead: ['记账日期', '类别', '应收（元）', '已核销（元）', '未结（元）'],
    kinds: {
      charge: '费用',
      payment: '缴费',
      topup: '充值',
      refund: '退款',
      adjustment: '调账',
      reversal: '冲正',
      late_fee: '滞纳金',
    },
    truncated: '期间分录过多，仅列出前若干条',
  },
  en: {
    sheet: 'Statement',
    account: 'Account',
    period: 'Period',
    opening: 'Opening balance (CNY)',
    closing: 'Closing balance (CNY)',
    head: ['Date', 'Kind', 'Category', 'Memo', 'Amount (CNY)', 'Balance (CNY)', 'Business key'],
    open: 'Open items',
    openHead: ['Date', 'Category', 'Owed (CNY)', 'Settled (CNY)', 'Open (CNY)'],
    kinds: {
      charge: 'Charge',
      payment: 'Payment',
      topup: 'Top-up',
      refund: 'Refund',
      adjustment: 'Adjustment',
      reversal: 'Reversal',
      late_fee: 'Late fee',
    },
    truncated: 'The period has too many entries; only the first are listed',
  },
} as const;

/** Fen as yuan text with two decimals, exact (no float division). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The statement as an xlsx workbook: header block, entries with running balance, open items. */
export async function statementXlsx(s: Statement, accountNumber: string, lang: Lang): Promise<Buffer> {
  const t = T[lang];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t.sheet);
  ws.addRow([t.account, accountNumber]);
  ws.addRow([t.period, `${s.from} ~ ${s.to}`]);
  ws.addRow([t.opening, yuan(s.openingFen)]);
  ws.addRow([]);
  ws.addRow([...t.head]).font = { bold: true };
  for (const e of s.entries)
    ws.addRow([
      e.occurredOn,
      t.kinds[e.kind],
      e.category,
      e.memo,
      yuan(e.amountFen),
      yuan(e.balanceAfterFen),
      e.businessKey,
    ]);
  if (s.truncated) ws.addRow([t.truncated]);
  ws.addRow([t.closing, yuan(s.closingFen)]).font = { bold: true };
  ws.addRow([]);
  ws.addRow([t.open]).font = { bold: true };
  ws.addRow([...t.openHead]).font = { bold: true };
  for (const d of s.openItems)
    ws.addRow([d.occurredOn, d.bucket, yuan(d.amountFen), yuan(d.settledFen), yuan(d.openFen)]);
  ws.columns.forEach((c) => {
    c.width = 18;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

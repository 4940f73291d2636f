import type ExcelJS from 'exceljs';
import type { Platform } from '../../../platform.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Lang } from '../../imports/entity.ts';
import { xlsxExportStream } from '../../imports/export-stream.ts';
import { type BillListQuery, type BillSummary, listBills } from './list.ts';

export type BillFilter = Omit<BillListQuery, 'limit' | 'after'>;

const BATCH = 200;

const HEADERS: Record<Lang, string[]> = {
  'zh-CN': [
    '用户编号',
    '用户名称',
    '账户',
    '区域',
    '账期起',
    '账期止',
    '状态',
    '暂缓原因',
    '金额（元）',
    '缴费截止日',
  ],
  en: [
    'Customer no.',
    'Customer',
    'Account',
    'Area',
    'Period from',
    'Period to',
    'Status',
    'Held because',
    'Amount (yuan)',
    'Due date',
  ],
};
const STATUS: Record<Lang, Record<BillSummary['status'], string>> = {
  'zh-CN': { held: '待审核', issued: '已出账', cancelled: '已作废' },
  en: { held: 'Held', issued: 'Issued', cancelled: 'Cancelled' },
};

/** Fen as yuan text with two decimals, exactly (no float). */
export function yuanText(fen: number): string {
  const s = String(Math.abs(fen)).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

async function writeRows(
  tx: Parameters<typeof listBills>[0],
  ws: ExcelJS.Worksheet,
  actor: Actor,
  f: BillFilter,
  lang: Lang,
) {
  ws.addRow(HEADERS[lang]).commit();
  let after: string | undefined;
  do {
    const page = await listBills(tx, actor, { ...f, limit: BATCH, after });
    for (const b of page.items)
      ws.addRow([
        b.customerNumber,
        b.customerName,
        b.accountNumber,
        b.areaName,
        b.periodFrom,
        b.periodTo,
        STATUS[lang][b.status],
        b.holdReasons.join(','),
        yuanText(b.totalFen),
        b.dueDate ?? '',
      ]).commit();
    after = page.next ?? undefined;
  } while (after);
}

/** The filtered bills the actor may see as an xlsx, streamed in keyset batches of one tenant transaction. */
export function billExportStream(
  p: Platform,
  actor: Actor,
  tenantId: string,
  filter: BillFilter,
  lang: Lang,
): ReadableStream<Uint8Array> {
  return xlsxExportStream(p, tenantId, lang === 'en' ? 'Bills' : '账单', (tx, ws) =>
    writeRows(tx, ws, actor, filter, lang),
  );
}

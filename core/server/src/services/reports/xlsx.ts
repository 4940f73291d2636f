import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Lang, ReportColumn, ReportDataset, Row } from './types.ts';

function numFmt(c: ReportColumn): string | undefined {
  if (c.type === 'money') return '#,##0.00';
  if (c.type === 'percent') return '0.00%';
  if (c.type === 'number') return c.decimals ? `#,##0.${'0'.repeat(c.decimals)}` : '#,##0';
  return undefined;
}

/** A cell value: money in yuan (a number), numbers as numbers, text as text. */
function cellOf(c: ReportColumn, v: Row[string]): string | number | null {
  if (v === null || v === undefined) return null;
  if (c.type === 'money') return Number(v) / 100;
  if (c.type === 'number' || c.type === 'percent') return Number(v);
  return String(v);
}

const WORDS = {
  'zh-CN': { subtotal: '小计', total: '合计' },
  en: { subtotal: 'Subtotal', total: 'Total' },
};

/**
 * Writes the report to `out` as xlsx through exceljs' streaming writer (rows are committed as
 * they go, so memory stays flat): a title row, the header, the rows grouped by the dataset's
 * group column with a subtotal row after each group, and a grand total — the same grouping and
 * sums as the default print layout. Money is yuan with two decimals, as numbers.
 */
export async function writeReportXlsx(
  out: Writable,
  ds: ReportDataset,
  rows: Iterable<Row>,
  lang: Lang,
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet(ds.id);
  const cols = ds.columns;
  ws.columns = cols.map((c) => ({
    key: c.key,
    width: c.type === 'text' ? 20 : 14,
    style: { numFmt: numFmt(c) },
  }));
  ws.addRow([ds.title[lang]]).commit();
  const header = ws.addRow(cols.map((c) => c.label[lang]));
  header.font = { bold: true };
  header.commit();
  const w = WORDS[lang];
  const summed = cols.filter((c) => c.sum);
  const zero = () => Object.fromEntries(summed.map((c) => [c.key, 0])) as Record<string, number>;
  const add = (acc: Record<string, number>, r: Row) => {
    for (const c of summed) acc[c.key] = (acc[c.key] ?? 0) + (Number(r[c.key]) || 0);
  };
  const sumRow = (label: string, acc: Record<string, number>) => {
    const row = ws.addRow(
      cols.map((c, i) =>
        i === 0 ? label : c.sum ? cellOf(c, Math.round((acc[c.key] ?? 0) * 1e6) / 1e6) : null,
      ),
    );
    row.font = { bold: true };
    row.commit();
  };
  const g = ds.groupBy;
  let current: string | null = null;
  let sub = zero();
  const grand = zero();
  let any = false;
  for (const r of rows) {
    const key = g ? String(r[g] ?? '') : '';
    if (g && any && key !== current) {
      sumRow(`${w.subtotal} ${current}`, sub);
      sub = zero();
    }
    current = key;
    any = true;
    ws.addRow(cols.map((c) => cellOf(c, r[c.key]))).commit();
    add(sub, r);
    add(grand, r);
  }
  if (g && any) sumRow(`${w.subtotal} ${current}`, sub);
  sumRow(w.total, grand);
  ws.commit();
  await wb.commit();
}

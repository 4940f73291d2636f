import type { BillStatus, BillSummary } from '../../api/bills.ts';
import type { ExportColumn } from '../../utils/export-table.ts';
import { fenToYuan } from '../../utils/money.ts';

/** The tag colour of a bill status. */
export function statusTag(s: BillStatus): 'warning' | 'success' | 'info' {
  return s === 'held' ? 'warning' : s === 'issued' ? 'success' : 'info';
}

/** A hold reason in the person's language when the catalogue knows it, else as stored. */
export function reasonText(t: (k: string) => string, te: (k: string) => boolean, r: string): string {
  return te(`bills.reasons.${r}`) ? t(`bills.reasons.${r}`) : r;
}

/** The columns of the bills export (amounts in yuan from fen, never through a float). */
export function exportColumns(t: (k: string) => string): ExportColumn<BillSummary>[] {
  return [
    { title: t('bills.customerNumber'), value: (b) => b.customerNumber },
    { title: t('bills.customer'), value: (b) => b.customerName },
    { title: t('bills.account'), value: (b) => b.accountNumber },
    { title: t('bills.area'), value: (b) => b.areaName },
    { title: t('bills.period'), value: (b) => `${b.periodFrom} – ${b.periodTo}` },
    { title: t('bills.status'), value: (b) => t(`bills.statuses.${b.status}`) },
    { title: t('bills.total'), value: (b) => fenToYuan(b.totalFen) },
    { title: t('bills.dueDate'), value: (b) => b.dueDate ?? '' },
  ];
}

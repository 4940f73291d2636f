import { http, xlsxExportUrl } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

// Bills: the list, one bill with "why this amount" for each line, approving held bills (the review
// queue), cancelling, re-billing and adjusting.

export type BillSummary = Schema<'BillSummary'>;
export type BillStatus = BillSummary['status'];
export type BillDetail = Schema<'BillDetail'>;
export type BillLine = Schema<'BillLine'>;
export type BillQuery = QueryOf<'/bills'>;
export type BillAdjust = BodyOf<'/bills/{id}/adjustments', 'post'>;

export const BILL_STATUSES = ['held', 'issued', 'cancelled'] as const satisfies readonly BillStatus[];

const enc = encodeURIComponent;

export const billsApi = {
  list: (query: Partial<BillQuery>) => http.get<ReplyOf<'/bills'>>('/bills', { ...query }),
  get: (id: string) => http.get<BillDetail>(`/bills/${enc(id)}`),
  approve: (ids: string[]) => http.post<ReplyOf<'/bills/approve', 'post'>>('/bills/approve', { ids }),
  cancel: (id: string, reason: string) =>
    http.post<ReplyOf<'/bills/{id}/cancel', 'post'>>(`/bills/${enc(id)}/cancel`, { reason }),
  rebill: (id: string, reason: string) =>
    http.post<ReplyOf<'/bills/{id}/rebill', 'post'>>(`/bills/${enc(id)}/rebill`, { reason }),
  adjust: (id: string, body: BillAdjust) =>
    http.post<ReplyOf<'/bills/{id}/adjustments', 'post'>>(`/bills/${enc(id)}/adjustments`, body),
};

/** The bills of the list's filter as an xlsx download (headers in `lang`). */
export function billExportUrl(
  filter: Omit<Partial<BillQuery>, 'after' | 'limit'>,
  lang: QueryOf<'/bills/export.xlsx'>['lang'],
): string {
  return xlsxExportUrl('/bills/export.xlsx', { ...filter }, lang);
}

import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

// Postpaid bill runs: start one for an area (or the whole tenant) and a period, follow its
// progress, see the accounts it could not bill, cancel it while it is queued or running.

export type BillRun = Schema<'BillRun'>;
export type BillRunStatus = BillRun['status'];
export type BillRunDetail = Schema<'BillRunDetail'>;
export type BillRunStart = BodyOf<'/bill-runs', 'post'>;

export const BILL_RUN_STATUSES = [
  'queued',
  'running',
  'done',
  'failed',
  'cancelled',
] as const satisfies readonly BillRunStatus[];

/** A run still moving: the console keeps polling while one is shown. */
export const runOpen = (r: BillRun) => r.status === 'queued' || r.status === 'running';

const run = (id: string) => `/bill-runs/${encodeURIComponent(id)}`;

export const billRunsApi = {
  start: (body: BillRunStart) => http.post<BillRunDetail>('/bill-runs', body),
  list: (query: QueryOf<'/bill-runs'>) => http.get<ReplyOf<'/bill-runs'>>('/bill-runs', { ...query }),
  get: (id: string) => http.get<BillRunDetail>(run(id)),
  cancel: (id: string) => http.post<BillRunDetail>(`${run(id)}/cancel`, {}),
};

import { http } from './http.ts';
import type { QueryOf, ReplyOf, Schema } from './types.ts';

// Prepaid deduction: the daily runs (list, one, run a day now) and the tenant's deduction settings.

export type DeductionRun = Schema<'PrepaidDeductionRun'>;
export type DeductionSettings = Schema<'PrepaidDeductionSettings'>;
export type DeductionRunQuery = QueryOf<'/prepaid/deduction-runs'>;

export const deductionApi = {
  runs: (query: DeductionRunQuery) =>
    http.get<ReplyOf<'/prepaid/deduction-runs'>>('/prepaid/deduction-runs', { ...query }),
  run: (id: string) => http.get<DeductionRun>(`/prepaid/deduction-runs/${encodeURIComponent(id)}`),
  runDay: (day: string) => http.post<DeductionRun>('/prepaid/deduction-runs', { day }),
  settings: () => http.get<DeductionSettings>('/prepaid/deduction-settings'),
  putSettings: (body: DeductionSettings) => http.put<DeductionSettings>('/prepaid/deduction-settings', body),
};

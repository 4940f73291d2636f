import { http } from './http.ts';
import type { QueryOf, ReplyOf, Schema } from './types.ts';

// The exception queue of the VEE rules (异常诊断): findings, their evidence and handling.

export type Finding = Schema<'AnomalyFinding'>;
export type FindingDetail = Schema<'AnomalyFindingDetail'>;
export type FindingQuery = QueryOf<'/anomalies'>;

const enc = encodeURIComponent;

export const anomaliesApi = {
  list: (query: FindingQuery) => http.get<ReplyOf<'/anomalies'>>('/anomalies', { ...query }),
  get: (id: string) => http.get<FindingDetail>(`/anomalies/${enc(id)}`),
  assign: (id: string, userId: string, note = '') =>
    http.post<Finding>(`/anomalies/${enc(id)}/assign`, { userId, note }),
  note: (id: string, note: string) => http.post<Finding>(`/anomalies/${enc(id)}/notes`, { note }),
  close: (id: string, outcome: 'resolved' | 'dismissed', note = '') =>
    http.post<Finding>(`/anomalies/${enc(id)}/close`, { outcome, note }),
};

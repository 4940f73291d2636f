import { http } from './http.ts';
import type { QueryOf, ReplyOf, Schema } from './types.ts';

export type AuditEntry = Schema<'AuditEntry'>;
export type AuditQuery = QueryOf<'/audit'>;

export const auditApi = {
  list: (query: AuditQuery) => http.get<ReplyOf<'/audit'>>('/audit', { ...query }),
};

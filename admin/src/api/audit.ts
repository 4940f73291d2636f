import { http, type Page } from './http.ts';

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** What a person calls the target (user name, role or area name …), when known. */
  targetName: string | null;
  /** The target's title by language (plugins). */
  targetTitle: Record<string, string> | null;
  summary: { before?: unknown; after?: unknown } | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
}

export const auditApi = {
  list: (query: AuditQuery) => http.get<Page<AuditEntry>>('/audit', { ...query }),
};

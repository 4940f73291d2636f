import { API_BASE, http } from './http.ts';

export type ImportLang = 'zh-CN' | 'en';
export type ImportStatus = 'queued' | 'validating' | 'validated' | 'applying' | 'applied' | 'failed';

/** An entity the server imports, with its built-in columns. */
export interface ImportEntity {
  name: string;
  keyColumn: string;
  columns: { key: string; header: Record<ImportLang, string>; required: boolean }[];
}

export interface RowReason {
  column?: string;
  code: string;
  message: string;
}

export interface ImportReport {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  fatal: { code: string; message: string } | null;
  ignoredColumns: string[];
  errorRows: { row: number; values: Record<string, string>; reasons: RowReason[] }[];
  errorRowsTruncated: boolean;
}

export interface ImportJob {
  id: string;
  entity: string;
  fileName: string;
  status: ImportStatus;
  progress: { phase: string; rows: number; error: { code: string; message: string } | null };
  report: ImportReport | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The media type the server expects for a file, by its name; null for anything else. */
export function importMediaType(fileName: string): string | null {
  const ext = fileName.toLowerCase().split('.').pop();
  return ext === 'xlsx' ? XLSX_TYPE : ext === 'csv' ? 'text/csv' : null;
}

/** An import still running on the server (the page keeps polling it). */
export function importInFlight(job: Pick<ImportJob, 'status'>): boolean {
  return job.status === 'queued' || job.status === 'validating' || job.status === 'applying';
}

const one = (id: string) => `/imports/${encodeURIComponent(id)}`;

export const importsApi = {
  entities: () => http.get<{ items: ImportEntity[] }>('/imports/entities'),
  recent: () => http.get<{ items: ImportJob[] }>('/imports'),
  get: (id: string) => http.get<ImportJob>(one(id)),
  upload: (entity: string, file: File) =>
    http.upload<ImportJob>(
      '/imports',
      { raw: file, type: importMediaType(file.name) ?? file.type },
      { entity, fileName: file.name },
    ),
  apply: (id: string) => http.post<ImportJob>(`${one(id)}/apply`),
  /** Download links (a plain GET with the session cookie). */
  templateUrl: (entity: string, lang: ImportLang) =>
    `${API_BASE}/imports/templates/${encodeURIComponent(entity)}?lang=${lang}`,
  errorsUrl: (id: string, lang: ImportLang) => `${API_BASE}${one(id)}/errors.xlsx?lang=${lang}`,
};

import { API_BASE, http } from './http.ts';
import type { ReplyOf, Schema } from './types.ts';

export type ImportLang = 'zh-CN' | 'en';

/** An import with its progress and dry-run report. */
export type ImportJob = Schema<'Import'>;
export type ImportStatus = ImportJob['status'];
export type ImportReport = NonNullable<ImportJob['report']>;
export type RowReason = ImportReport['errorRows'][number]['reasons'][number];
/** An entity the server imports, with its built-in columns. */
export type ImportEntity = Schema<'ImportEntity'>;

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
  entities: () => http.get<ReplyOf<'/imports/entities'>>('/imports/entities'),
  recent: () => http.get<ReplyOf<'/imports'>>('/imports'),
  get: (id: string) => http.get<ImportJob>(one(id)),
  upload: (entity: string, file: File) =>
    http.upload<ImportJob>(
      '/imports',
      { raw: file, type: importMediaType(file.name) ?? file.type },
      { entity, fileName: file.name },
    ),
  apply: (id: string) => http.post<ReplyOf<'/imports/{id}/apply', 'post'>>(`${one(id)}/apply`),
  /** Download links (a plain GET with the session cookie). */
  templateUrl: (entity: string, lang: ImportLang) =>
    `${API_BASE}/imports/templates/${encodeURIComponent(entity)}?lang=${lang}`,
  errorsUrl: (id: string, lang: ImportLang) => `${API_BASE}${one(id)}/errors.xlsx?lang=${lang}`,
};

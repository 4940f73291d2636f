import { http } from './http.ts';
import type { BodyOf, Schema } from './types.ts';

/** A concentrator's meter table read back and compared with the archive, point by point. */
export type ArchiveDiff = Schema<'ConcentratorArchiveDiff'>;
export type ArchiveEntry = ArchiveDiff['entries'][number];
export type ArchiveStatus = ArchiveEntry['status'];
export type ArchiveDownload = Schema<'ConcentratorArchiveDownload'>;
export type ArchiveDownloadInput = BodyOf<'/concentrators/{id}/archive/download', 'post'>;

const base = (id: string) => `/concentrators/${encodeURIComponent(id)}/archive`;

export const concentratorArchiveApi = {
  /** reads the table through the concentrator's transport (a few seconds on a real link) */
  diff: (id: string) => http.get<ArchiveDiff>(base(id)),
  download: (id: string, input: ArchiveDownloadInput) =>
    http.post<ArchiveDownload>(`${base(id)}/download`, input),
};

/** The concentrator's own reading plan: derived from the schedules, and as it runs (AFN 04 F33). */
export type ReadingPlanView = Schema<'ConcentratorReadingPlan'>;
export type ReadingPlanBlock = ReadingPlanView['derived'][number];

export const concentratorReadingPlanApi = {
  get: (id: string) => http.get<ReadingPlanView>(`/concentrators/${encodeURIComponent(id)}/reading-plan`),
  set: (id: string) =>
    http.post<ReadingPlanView>(`/concentrators/${encodeURIComponent(id)}/reading-plan`, {}),
};

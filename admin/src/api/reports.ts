import { http, postForBlob } from './http.ts';
import type { BodyOf, Schema } from './types.ts';

// Reports (报表查询打印): the catalogue, a report's detail (layout in force, default, versions),
// on-screen runs with paging, layout preview on real data, versions, and the print/PDF/Excel files.

export type ReportSummary = Schema<'ReportSummary'>;
export type ReportDetail = Schema<'ReportDetail'>;
export type ReportRunResult = Schema<'ReportRunResult'>;
export type ReportLayoutVersion = Schema<'ReportLayoutVersion'>;
export type ReportRunBody = BodyOf<'/reports/{report}/run', 'post'>;
export type ReportOutputBody = BodyOf<'/reports/{report}/print', 'post'>;
export type ReportLang = 'zh-CN' | 'en';
export type ReportOutput = Schema<'ReportOutput'>;
export type ReportSchedule = Schema<'ReportSchedule'>;
export type ReportScheduleBody = BodyOf<'/reports/schedules', 'post'>;

const one = (id: string) => `/reports/${encodeURIComponent(id)}`;

export const reportsApi = {
  list: (lang: ReportLang) => http.get<Schema<'ReportList'>>('/reports', { lang }),
  detail: (id: string, lang: ReportLang) => http.get<ReportDetail>(one(id), { lang }),
  run: (id: string, body: ReportRunBody) => http.post<ReportRunResult>(`${one(id)}/run`, body),
  preview: (id: string, body: BodyOf<'/reports/{report}/preview', 'post'>) =>
    http.post<Schema<'ReportPreviewResult'>>(`${one(id)}/preview`, body),
  version: (id: string, version: number) =>
    http.get<Schema<'ReportLayoutSource'>>(`${one(id)}/layouts/${version}`),
  saveLayout: (id: string, body: BodyOf<'/reports/{report}/layouts', 'post'>) =>
    http.post<ReportLayoutVersion>(`${one(id)}/layouts`, body),
  outputs: () => http.get<Schema<'ReportOutputList'>>('/reports/outputs'),
  queueExport: (id: string, body: BodyOf<'/reports/{report}/exports', 'post'>) =>
    http.post<ReportOutput>(`${one(id)}/exports`, body),
  schedules: () => http.get<Schema<'ReportScheduleList'>>('/reports/schedules'),
  createSchedule: (body: ReportScheduleBody) => http.post<ReportSchedule>('/reports/schedules', body),
  updateSchedule: (id: string, body: ReportScheduleBody) =>
    http.put<ReportSchedule>(`/reports/schedules/${encodeURIComponent(id)}`, body),
  deleteSchedule: (id: string) => http.del(`/reports/schedules/${encodeURIComponent(id)}`),
  runSchedule: (id: string) =>
    http.post<ReportSchedule>(`/reports/schedules/${encodeURIComponent(id)}/run`, {}),
  file: (id: string, format: 'print' | 'pdf' | 'xlsx', body: ReportOutputBody) =>
    postForBlob(`${one(id)}/${format}`, body),
};

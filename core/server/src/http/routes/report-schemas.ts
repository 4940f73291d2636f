import { MAX_LAYOUT } from '../../services/reports/render.ts';
import { text, z } from '../route-kit.ts';

export const ReportParam = z.object({
  report: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/)
    .openapi({ param: { name: 'report', in: 'path' } }),
});

export const LayoutParams = ReportParam.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .openapi({ param: { name: 'version', in: 'path' } }),
});

export const Lang = z.enum(['zh-CN', 'en']).default('zh-CN');
export const LangQuery = z.object({ lang: Lang });
const Orientation = z.enum(['portrait', 'landscape']);
/** the dataset checks its own parameters; here only "an object" */
const Params = z.record(z.string().max(40), z.unknown()).default({});

export const RunBody = z
  .object({
    params: Params,
    page: z.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.number().int().min(1).max(500).default(50),
    lang: Lang,
  })
  .strict()
  .openapi('ReportRunRequest');

export const OutputBody = z
  .object({ params: Params, version: z.number().int().min(1).max(1_000_000).optional(), lang: Lang })
  .strict()
  .openapi('ReportOutputRequest');

export const PreviewBody = z
  .object({ params: Params, source: text(1, MAX_LAYOUT), orientation: Orientation.optional(), lang: Lang })
  .strict()
  .openapi('ReportPreviewRequest');

export const LayoutCreate = z
  .object({ source: text(1, MAX_LAYOUT), orientation: Orientation, note: text(0, 200).default('') })
  .strict()
  .openapi('ReportLayoutCreate');

const Column = z.object({
  key: z.string(),
  type: z.enum(['text', 'number', 'money', 'percent', 'date']),
  label: z.string(),
  labels: z.object({ 'zh-CN': z.string(), en: z.string() }),
});

export const ReportSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    titles: z.object({ 'zh-CN': z.string(), en: z.string() }),
    params: z.record(z.string(), z.unknown()),
    columns: z.array(Column),
    groupBy: z.string().nullable(),
    orientation: Orientation,
  })
  .openapi('ReportSummary');

export const ReportList = z.object({ items: z.array(ReportSummary) }).openapi('ReportList');

export const LayoutVersion = z
  .object({
    id: z.string(),
    version: z.number(),
    orientation: Orientation,
    note: z.string(),
    createdByName: z.string(),
    createdAt: z.string(),
  })
  .openapi('ReportLayoutVersion');

export const LayoutSource = LayoutVersion.extend({ source: z.string() }).openapi('ReportLayoutSource');

export const ReportDetail = z
  .object({
    report: ReportSummary,
    layout: z.object({ source: z.string(), orientation: Orientation, version: z.number().nullable() }),
    defaultSource: z.string(),
    versions: z.array(LayoutVersion),
  })
  .openapi('ReportDetail');

const Cell = z.union([z.string(), z.number(), z.null()]);

export const RunResult = z
  .object({
    columns: z.array(Column),
    rows: z.array(z.record(z.string(), Cell)),
    total: z.number(),
    page: z.number(),
    pageSize: z.number(),
    totals: z.record(z.string(), z.number()),
  })
  .openapi('ReportRunResult');

export const PreviewResult = z.object({ html: z.string() }).openapi('ReportPreviewResult');

export const ExportBody = z
  .object({ params: Params, format: z.enum(['xlsx', 'pdf']), lang: Lang })
  .strict()
  .openapi('ReportExportRequest');

export const ReportOutput = z
  .object({
    id: z.string(),
    report: z.string(),
    format: z.enum(['xlsx', 'pdf']),
    lang: z.enum(['zh-CN', 'en']),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.number(),
    rows: z.number().nullable(),
    size: z.number().nullable(),
    error: z.string().nullable(),
    requestedByName: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    expiresAt: z.string(),
  })
  .openapi('ReportOutput');

export const OutputList = z.object({ items: z.array(ReportOutput) }).openapi('ReportOutputList');

const Email = z.email().max(254);

export const ScheduleBody = z
  .object({
    report: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/),
    params: Params,
    format: z.enum(['xlsx', 'pdf']),
    lang: Lang,
    cron: text(9, 100),
    recipients: z.array(Email).min(1).max(20),
    enabled: z.boolean().default(true),
  })
  .strict()
  .openapi('ReportScheduleRequest');

export const ReportSchedule = z
  .object({
    id: z.string(),
    report: z.string(),
    params: z.record(z.string(), z.unknown()),
    format: z.enum(['xlsx', 'pdf']),
    lang: z.enum(['zh-CN', 'en']),
    cron: z.string(),
    recipients: z.array(z.string()),
    enabled: z.boolean(),
    createdByName: z.string(),
    nextRunAt: z.string(),
    lastRunAt: z.string().nullable(),
    lastOutputId: z.string().nullable(),
    lastSkip: z.string().nullable(),
  })
  .openapi('ReportSchedule');

export const ScheduleList = z.object({ items: z.array(ReportSchedule) }).openapi('ReportScheduleList');

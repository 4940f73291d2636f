import { createRoute } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import { XLSX_TYPE } from '../../services/imports/sheets.ts';
import {
  datasetOf,
  datasets,
  describe,
  parseParams,
  runDataset,
  totals,
} from '../../services/reports/catalogue.ts';
import { addLayout, defaultLayout, layoutOf, listLayouts } from '../../services/reports/layouts.ts';
import { reportHtml, reportPdf, sampleRows, xlsxStream } from '../../services/reports/outputs.ts';
import { printPage, renderLayout, reportView } from '../../services/reports/render.ts';
import { ErrorSchema, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import { registerOutputRoutes } from './report-outputs.ts';
import { registerScheduleRoutes } from './report-schedules.ts';
import {
  LangQuery,
  LayoutCreate,
  LayoutParams,
  LayoutSource,
  LayoutVersion,
  OutputBody,
  PreviewBody,
  PreviewResult,
  ReportDetail,
  ReportList,
  ReportParam,
  RunBody,
  RunResult,
} from './report-schemas.ts';

const tag = 'reports';

function fileRoute(path: string, summary: string, type: string) {
  return createRoute({
    method: 'post',
    path,
    tags: [tag],
    summary,
    request: {
      params: ReportParam,
      body: { content: { 'application/json': { schema: OutputBody } }, required: true },
    },
    responses: {
      200: { description: type, content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } } },
      ...Object.fromEntries(
        [400, 401, 403, 404, 422, 503].map((s) => [
          s,
          { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
        ]),
      ),
    },
  });
}

/**
 * Reports (docs/decisions/0041-reports.md): the dataset catalogue, on-screen runs with paging,
 * the print page, PDF and Excel, and layout versions designed in the admin.
 */
export function reportRoutes(p: Platform) {
  const r = router();
  const tz = () => p.config.QUADMETER_TIMEZONE;
  registerOutputRoutes(r, p);
  registerScheduleRoutes(r, p);

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'The report catalogue',
      query: LangQuery,
      response: ReportList,
    }),
    async (c) => {
      const { lang } = c.req.valid('query');
      const items = await inTenant(p, c, 'reports.read', async () =>
        datasets().map((d) => describe(d, lang)),
      );
      return c.json({ items }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{report}',
      tag,
      summary: 'A report: its parameters and columns, the layout in force, the default and the versions',
      params: ReportParam,
      query: LangQuery,
      response: ReportDetail,
    }),
    async (c) => {
      const ds = datasetOf(c.req.valid('param').report);
      const { lang } = c.req.valid('query');
      const out = await inTenant(p, c, 'reports.read', async (tx) => ({
        report: describe(ds, lang),
        layout: await layoutOf(tx, ds),
        defaultSource: defaultLayout(ds.id),
        versions: await listLayouts(tx, ds.id),
      }));
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{report}/layouts/{version}',
      tag,
      summary: 'One stored layout version with its source',
      params: LayoutParams,
      response: LayoutSource,
    }),
    async (c) => {
      const { report, version } = c.req.valid('param');
      const ds = datasetOf(report);
      const out = await inTenant(p, c, 'reports.read', async (tx) => {
        const l = await layoutOf(tx, ds, version);
        const meta = (await listLayouts(tx, ds.id)).find((v) => v.version === version)!;
        return { ...meta, source: l.source };
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{report}/layouts',
      tag,
      summary: 'Save a layout version (checked on sample rows; REPORT_TEMPLATE_INVALID with line/column)',
      params: ReportParam,
      body: LayoutCreate,
      response: LayoutVersion,
    }),
    async (c) => {
      const ds = datasetOf(c.req.valid('param').report);
      const b = c.req.valid('json');
      const out = await inTenant(p, c, 'reports.design', async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        for (const lang of ['zh-CN', 'en'] as const)
          renderLayout(b.source, reportView(ds, {}, sampleRows(ds), lang, new Date().toISOString()), tz());
        const v = await addLayout(tx, tenantId, ds.id, b, actor.displayName || actor.name);
        await recordAudit(tx, tenantId, meta, {
          action: 'report-layouts.save',
          targetType: 'report-layout',
          targetId: ds.id,
          after: { version: v.version, note: b.note, orientation: b.orientation },
        });
        return v;
      });
      return c.json(out, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{report}/run',
      tag,
      summary: 'Run a report on screen: one page of rows, the total count and the sums',
      params: ReportParam,
      body: RunBody,
      status: 200,
      response: RunResult,
    }),
    async (c) => {
      const ds = datasetOf(c.req.valid('param').report);
      const b = c.req.valid('json');
      const params = parseParams(ds, b.params);
      const out = await inTenant(p, c, 'reports.read', async (tx, { actor }) => {
        const rows = await runDataset({ tx, actor, timeZone: tz() }, ds, params);
        const start = (b.page - 1) * b.pageSize;
        return {
          columns: describe(ds, b.lang).columns,
          rows: rows.slice(start, start + b.pageSize),
          total: rows.length,
          page: b.page,
          pageSize: b.pageSize,
          totals: totals(ds, rows),
        };
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{report}/preview',
      tag,
      summary: 'Render an unsaved layout on real data (nothing is stored)',
      params: ReportParam,
      body: PreviewBody,
      status: 200,
      response: PreviewResult,
    }),
    async (c) => {
      const ds = datasetOf(c.req.valid('param').report);
      const b = c.req.valid('json');
      const params = parseParams(ds, b.params);
      const html = await inTenant(p, c, 'reports.design', async (tx, { actor }) => {
        const rows = await runDataset({ tx, actor, timeZone: tz() }, ds, params);
        const view = reportView(ds, params, rows, b.lang, new Date().toISOString());
        return printPage(
          renderLayout(b.source, view, tz()),
          view.title,
          b.orientation ?? ds.orientation,
          b.lang,
        );
      });
      return c.json({ html }, 200);
    },
  );
  r.openapi(fileRoute('/{report}/print', 'The report as a print page (A4 HTML)', 'text/html'), async (c) => {
    const ds = datasetOf(c.req.valid('param').report);
    const b = c.req.valid('json');
    const params = parseParams(ds, b.params);
    const html = await inTenant(p, c, 'reports.read', (tx, { actor }) =>
      reportHtml({ tx, actor, timeZone: tz(), ds, params, lang: b.lang, version: b.version }),
    );
    return c.html(html, 200) as never;
  });
  r.openapi(
    fileRoute('/{report}/pdf', 'The report as PDF (headless Chromium)', 'application/pdf'),
    async (c) => {
      const ds = datasetOf(c.req.valid('param').report);
      const b = c.req.valid('json');
      const params = parseParams(ds, b.params);
      const html = await inTenant(p, c, 'reports.read', (tx, { actor }) =>
        reportHtml({ tx, actor, timeZone: tz(), ds, params, lang: b.lang, version: b.version }),
      );
      const bytes = await reportPdf(html);
      return new Response(bytes, {
        status: 200,
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `inline; filename="${ds.id}.pdf"`,
        },
      }) as never;
    },
  );
  r.openapi(
    fileRoute('/{report}/xlsx', 'The report as Excel (grouped with subtotals, streamed)', XLSX_TYPE),
    async (c) => {
      const ds = datasetOf(c.req.valid('param').report);
      const b = c.req.valid('json');
      const params = parseParams(ds, b.params);
      const rows = await inTenant(p, c, 'reports.read', (tx, { actor }) =>
        runDataset({ tx, actor, timeZone: tz() }, ds, params),
      );
      const body = xlsxStream(ds, rows, b.lang, (err) =>
        p.logger.error({ err, report: ds.id }, 'report xlsx failed'),
      );
      return c.body(body, 200, {
        'content-type': XLSX_TYPE,
        'content-disposition': `attachment; filename="${ds.id}.xlsx"`,
      }) as never;
    },
  );
  return r;
}

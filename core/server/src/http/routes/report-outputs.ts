import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { XLSX_TYPE } from '../../services/imports/sheets.ts';
import { datasetOf, parseParams } from '../../services/reports/catalogue.ts';
import { listOutputs, outputBytes, outputOf, queueExport } from '../../services/reports/exports.ts';
import type { AppEnv } from '../env.ts';
import { ErrorSchema, IdParam, inTenant, jsonRoute, z } from '../route-kit.ts';
import { ExportBody, OutputList, ReportOutput, ReportParam } from './report-schemas.ts';

const tag = 'reports';

/**
 * Long reports as jobs: queue an export (xlsx or PDF) that runs in pg-boss with the requester's
 * scope, watch its progress, download the file while it is kept (RETENTION_DAYS). Registered before
 * `/{report}` so `outputs` is not taken for a report id.
 */
export function registerOutputRoutes(r: OpenAPIHono<AppEnv>, p: Platform) {
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/outputs',
      tag,
      summary: 'My report exports (kept ones)',
      response: OutputList,
    }),
    async (c) => {
      const items = await inTenant(p, c, 'reports.read', (tx, { actor }) => listOutputs(tx, actor));
      return c.json({ items }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/outputs/{id}',
      tag,
      summary: 'One export: status and progress',
      params: IdParam,
      response: ReportOutput,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await inTenant(p, c, 'reports.read', (tx, { actor }) => outputOf(tx, actor, id));
      return c.json(out, 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      path: '/outputs/{id}/file',
      tags: [tag],
      summary: 'Download a finished export',
      request: { params: IdParam },
      responses: {
        200: {
          description: 'file',
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...Object.fromEntries(
          [400, 401, 403, 404, 409].map((s) => [
            s,
            { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
          ]),
        ),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { dto, bytes } = await inTenant(p, c, 'reports.read', (tx, { actor }) =>
        outputBytes(tx, actor, id),
      );
      return new Response(new Uint8Array(bytes), {
        status: 200,
        headers: {
          'content-type': dto.format === 'pdf' ? 'application/pdf' : XLSX_TYPE,
          'content-disposition': `attachment; filename="${dto.report}.${dto.format}"`,
        },
      }) as never;
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{report}/exports',
      tag,
      summary: 'Queue an export as a job (progress on the output; kept for download)',
      params: ReportParam,
      body: ExportBody,
      status: 201,
      response: ReportOutput,
    }),
    async (c) => {
      const ds = datasetOf(c.req.valid('param').report);
      const b = c.req.valid('json');
      const params = parseParams(ds, b.params);
      const out = await inTenant(p, c, 'reports.read', (tx, { actor, tenantId }) =>
        queueExport(tx, p.jobs, actor, tenantId, { report: ds.id, params, format: b.format, lang: b.lang }),
      );
      return c.json(out, 201);
    },
  );
}

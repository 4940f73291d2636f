import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { requirePermission, requireTenant } from '../../services/identity/actor.ts';
import { customerExportStream } from '../../services/imports/customer-export.ts';
import { XLSX_TYPE } from '../../services/imports/sheets.ts';
import type { AppEnv } from '../env.ts';
import { ErrorSchema, z } from '../route-kit.ts';
import { CustomerListQuery } from './archive-schemas.ts';

const errors = Object.fromEntries(
  [400, 401, 403].map((s) => [
    s,
    { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
  ]),
);

/**
 * GET /customers/export.xlsx on a customers router. Register it before any `/{id}` route of the
 * same router so `export.xlsx` is not taken for an id.
 */
export function registerCustomerExport(r: OpenAPIHono<AppEnv>, p: Platform) {
  r.openapi(
    createRoute({
      method: 'get',
      path: '/export.xlsx',
      tags: ['customers'],
      summary: 'The filtered customers as xlsx, streamed (phone and ID masked without customers.pii)',
      request: {
        query: CustomerListQuery.omit({ sort: true, after: true, limit: true }).extend({
          lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
        }),
      },
      responses: {
        200: {
          description: 'xlsx',
          content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      requirePermission(actor, 'customers.read');
      const tenantId = requireTenant(actor);
      const { lang, ...filter } = c.req.valid('query');
      const stream = customerExportStream(
        p,
        actor,
        tenantId,
        filter,
        lang,
        todayIn(p.config.QUADMETER_TIMEZONE),
      );
      return c.body(stream, 200, {
        'content-type': XLSX_TYPE,
        'content-disposition': `attachment; filename="customers.xlsx"`,
      }) as never;
    },
  );
}

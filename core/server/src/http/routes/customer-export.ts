import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { requirePermission, requireTenant } from '../../services/identity/actor.ts';
import { customerExportStream } from '../../services/imports/customer-export.ts';
import { XLSX_TYPE } from '../../services/imports/sheets.ts';
import type { AppEnv } from '../env.ts';
import { ErrorSchema, router, text, z } from '../route-kit.ts';

const errors = Object.fromEntries(
  [400, 401, 403].map((s) => [
    s,
    { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
  ]),
);

function today(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

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
        query: z.object({
          area: z.uuid().optional(),
          status: z.enum(['active', 'closed']).optional(),
          type: z.enum(['resident', 'commercial', 'industrial', 'institution']).optional(),
          q: text(1, 100).optional(),
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
        today(p.config.QUADMETER_TIMEZONE),
      );
      return c.body(stream, 200, {
        'content-type': XLSX_TYPE,
        'content-disposition': `attachment; filename="customers.xlsx"`,
      }) as never;
    },
  );
}

export function customerExportRoutes(p: Platform) {
  const r = router();
  registerCustomerExport(r, p);
  return r;
}

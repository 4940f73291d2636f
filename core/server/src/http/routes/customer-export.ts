import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { customerExportStream } from '../../services/imports/customer-export.ts';
import type { AppEnv } from '../env.ts';
import { CustomerListQuery } from './archive-schemas.ts';
import { registerXlsxExport } from './xlsx-export.ts';

/** GET /customers/export.xlsx (register before the router's `/{id}` routes). */
export function registerCustomerExport(r: OpenAPIHono<AppEnv>, p: Platform) {
  registerXlsxExport(r, {
    tag: 'customers',
    summary: 'The filtered customers as xlsx, streamed (phone and ID masked without customers.pii)',
    permission: 'customers.read',
    fileName: 'customers.xlsx',
    filter: CustomerListQuery.omit({ sort: true, after: true, limit: true }),
    stream: (actor, tenantId, filter, lang) =>
      customerExportStream(p, actor, tenantId, filter, lang, todayIn(p.config.QUADMETER_TIMEZONE)),
  });
}

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { type Actor, requirePermission, requireTenant } from '../../services/identity/actor.ts';
import type { Lang } from '../../services/imports/entity.ts';
import { XLSX_TYPE } from '../../services/imports/sheets.ts';
import type { AppEnv } from '../env.ts';
import { ErrorSchema, z } from '../route-kit.ts';

const errors = Object.fromEntries(
  [400, 401, 403].map((s) => [
    s,
    { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
  ]),
);

interface ExportSpec<Q extends z.ZodRawShape> {
  tag: string;
  summary: string;
  permission: string;
  /** the download's file name */
  fileName: string;
  /** the list's filter (without its paging parameters) */
  filter: z.ZodObject<Q>;
  stream(
    actor: Actor,
    tenantId: string,
    filter: z.infer<z.ZodObject<Q>>,
    lang: Lang,
  ): ReadableStream<Uint8Array>;
}

/**
 * GET /export.xlsx on a list's router: the list's current filter as xlsx, streamed, headers in
 * `lang`. Register it before any `/{id}` route of the same router so `export.xlsx` is not taken for an id.
 */
export function registerXlsxExport<Q extends z.ZodRawShape>(r: OpenAPIHono<AppEnv>, spec: ExportSpec<Q>) {
  r.openapi(
    createRoute({
      method: 'get',
      path: '/export.xlsx',
      tags: [spec.tag],
      summary: spec.summary,
      request: { query: spec.filter.extend({ lang: z.enum(['zh-CN', 'en']).default('zh-CN') }) },
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
      requirePermission(actor, spec.permission);
      const tenantId = requireTenant(actor);
      const { lang, ...filter } = c.req.valid('query') as { lang: Lang } & z.infer<z.ZodObject<Q>>;
      return c.body(spec.stream(actor, tenantId, filter as z.infer<z.ZodObject<Q>>, lang), 200, {
        'content-type': XLSX_TYPE,
        'content-disposition': `attachment; filename="${spec.fileName}"`,
      }) as never;
    },
  );
}

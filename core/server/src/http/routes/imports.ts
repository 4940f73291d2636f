import { createRoute } from '@hono/zod-openapi';
import { AppError } from '@quadmeter/sdk';
import { desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { imports } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import { type ImportEntity, importEntities, importEntityNames } from '../../services/imports/entities.ts';
import type { FileKind } from '../../services/imports/read-file.ts';
import type { ImportReport } from '../../services/imports/report.ts';
import { createImport, requestApply, requireEntityPermission } from '../../services/imports/service.ts';
import { errorReportXlsx, templateXlsx, XLSX_TYPE } from '../../services/imports/sheets.ts';
import { findImport, importDto } from '../../services/imports/store.ts';
import type { AppEnv } from '../env.ts';
import { ErrorSchema, IdParam, inTenant, jsonRoute, requestMeta, router, text, z } from '../route-kit.ts';

const PERMISSION = 'archives.import';
const Lang = z.enum(['zh-CN', 'en']).default('zh-CN');
const Entity = z.enum(importEntityNames);
const Binary = z.string().openapi({ format: 'binary' });

const RowErrorSchema = z.object({ column: z.string().optional(), code: z.string(), message: z.string() });
const ImportSchema = z
  .object({
    id: z.string(),
    entity: z.string(),
    fileName: z.string(),
    status: z.enum(['queued', 'validating', 'validated', 'applying', 'applied', 'failed']),
    progress: z.object({
      phase: z.string(),
      rows: z.number(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
    report: z
      .object({
        total: z.number(),
        created: z.number(),
        updated: z.number(),
        unchanged: z.number(),
        errors: z.number(),
        fatal: z.object({ code: z.string(), message: z.string() }).nullable(),
        ignoredColumns: z.array(z.string()),
        errorRows: z.array(
          z.object({
            row: z.number(),
            values: z.record(z.string(), z.string()),
            reasons: z.array(RowErrorSchema),
          }),
        ),
        errorRowsTruncated: z.boolean(),
      })
      .nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Import');

const ImportEntitySchema = z
  .object({
    name: z.string(),
    /** the column that identifies a row: re-importing a row with the same key updates it */
    keyColumn: z.string(),
    columns: z.array(
      z.object({
        key: z.string(),
        header: z.object({ 'zh-CN': z.string(), en: z.string() }),
        required: z.boolean(),
      }),
    ),
  })
  .openapi('ImportEntity');

function entityInfo(name: ImportEntity) {
  const def = importEntities[name];
  return {
    name,
    keyColumn: def.keyColumn,
    columns: def.columns.map((col) => ({
      key: col.key,
      header: col.header,
      required: col.required === true,
    })),
  };
}

const errorResponses = Object.fromEntries(
  [400, 401, 403, 404, 409, 413, 415].map((s) => [
    s,
    { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
  ]),
);

const MEDIA: Record<string, FileKind> = { [XLSX_TYPE]: 'xlsx', 'text/csv': 'csv' };

export function attachment(c: Context<AppEnv>, bytes: Buffer, name: string) {
  return c.body(new Uint8Array(bytes), 200, {
    'content-type': XLSX_TYPE,
    'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  });
}

/** Reads the raw body up to `max` bytes; a larger body is REQ_BODY_TOO_LARGE before it is buffered. */
async function readBody(c: Context<AppEnv>, max: number): Promise<Buffer> {
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  const tooLarge = () => new AppError('REQ_BODY_TOO_LARGE', `The file exceeds ${max / 1024 / 1024} MiB`);
  if (declared > max) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function entityOf(name: string) {
  return importEntities[name as ImportEntity];
}

export function importRoutes(p: Platform) {
  const r = router();
  const maxBytes = p.config.QUADMETER_IMPORT_LIMIT_MB * 1024 * 1024;

  r.openapi(
    createRoute({
      method: 'get',
      path: '/templates/{entity}',
      tags: ['imports'],
      summary: 'The xlsx import template of an entity, with the tenant’s custom fields',
      request: { params: z.object({ entity: Entity }), query: z.object({ lang: Lang }) },
      responses: {
        200: { description: 'xlsx', content: { [XLSX_TYPE]: { schema: Binary } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { entity } = c.req.valid('param');
      const { lang } = c.req.valid('query');
      const bytes = await inTenant(p, c, PERMISSION, (tx, { actor }) => {
        requireEntityPermission(actor, entity);
        return templateXlsx(tx, entityOf(entity), lang);
      });
      return attachment(c, bytes, `${entity}-template-${lang}.xlsx`) as never;
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/entities',
      tag: 'imports',
      summary: 'The entities this server imports, with their built-in columns (for the import wizard)',
      response: z.object({ items: z.array(ImportEntitySchema) }),
    }),
    async (c) => {
      const items = await inTenant(p, c, PERMISSION, async () => importEntityNames.map(entityInfo));
      return c.json({ items }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['imports'],
      summary: 'Upload an xlsx or CSV file; it is validated by a job (poll GET /imports/{id})',
      request: {
        query: z.object({ entity: Entity, fileName: text(1, 200).optional() }),
        body: {
          content: { [XLSX_TYPE]: { schema: Binary }, 'text/csv': { schema: Binary } },
          required: true,
        },
      },
      responses: {
        201: { description: 'Queued', content: { 'application/json': { schema: ImportSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { entity, fileName } = c.req.valid('query');
      const media = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
      const row = await inTenant(p, c, PERMISSION, async (tx, { tenantId, meta }) => {
        requireEntityPermission(meta.actor, entity);
        const kind = MEDIA[media];
        if (!kind)
          throw new AppError('REQ_UNSUPPORTED_MEDIA', `The file must be sent as ${XLSX_TYPE} or text/csv`);
        const bytes = await readBody(c, maxBytes);
        const name = fileName ?? `${entity}.${kind}`;
        return await createImport(p, tx, tenantId, meta, { entity, fileName: name, kind, bytes });
      });
      return c.json(importDto(row), 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'imports',
      summary: 'Recent imports (area-scoped users see their own)',
      response: z.object({ items: z.array(ImportSchema) }),
    }),
    async (c) => {
      const rows = await inTenant(p, c, PERMISSION, async (tx, { actor }) => {
        const own = actor.areaScope ? eq(imports.createdBy, actor.id) : undefined;
        return await tx.select().from(imports).where(own).orderBy(desc(imports.createdAt)).limit(50);
      });
      return c.json({ items: rows.map(importDto) }, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag: 'imports',
      summary: 'An import with its progress and dry-run report',
      params: IdParam,
      response: ImportSchema,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await inTenant(p, c, PERMISSION, (tx, { actor }) => findImport(tx, actor, id));
      return c.json(importDto(row), 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/apply',
      tag: 'imports',
      summary: 'Apply a validated import without error rows: all rows in one transaction or none',
      params: IdParam,
      response: ImportSchema,
      status: 200,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await inTenant(p, c, PERMISSION, (tx, { tenantId }) =>
        requestApply(p, tx, tenantId, requestMeta(c), id),
      );
      return c.json(importDto(row), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/errors.xlsx',
      tags: ['imports'],
      summary: 'The error rows as uploaded, with the row number and the reasons',
      request: { params: IdParam, query: z.object({ lang: Lang }) },
      responses: {
        200: { description: 'xlsx', content: { [XLSX_TYPE]: { schema: Binary } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { lang } = c.req.valid('query');
      const row = await inTenant(p, c, PERMISSION, (tx, { actor }) => findImport(tx, actor, id));
      const report = row.report as ImportReport | null;
      if (!report) throw new AppError('IMPORT_NOT_READY', undefined, { status: row.status });
      const bytes = await errorReportXlsx(entityOf(row.entity), report, lang);
      return attachment(c, bytes, `${row.entity}-errors-${id.slice(0, 8)}.xlsx`) as never;
    },
  );
  return r;
}

import type { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '@quadmeter/sdk';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  type DocumentKind,
  type DocumentVariant,
  documentKinds,
  isDocumentKind,
  isVariantOf,
  variantsOf,
} from '../../services/documents/kinds.ts';
import { listSeries, setPattern } from '../../services/documents/numbering.ts';
import { renderDocument } from '../../services/documents/render.ts';
import { fieldPalette, sampleView } from '../../services/documents/samples.ts';
import {
  addVersion,
  currentTemplate,
  defaultSource,
  listVersions,
  publishVersion,
  versionSource,
} from '../../services/documents/templates.ts';
import { billDocumentView, billRow, receiptView } from '../../services/documents/views.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import type { AppEnv } from '../env.ts';
import { inTenant, jsonRoute } from '../route-kit.ts';
import {
  KindParam,
  PreviewBody,
  PreviewResult,
  SeriesBody,
  SeriesList,
  TemplateDetail,
  TemplateParams,
  TemplateSummaryList,
  TemplateVersion,
  VersionCreate,
  VersionParams,
  VersionSource,
} from './document-schemas.ts';

const tag = 'documents';

export function pairOf(params: { kind: string; variant: string }): {
  kind: DocumentKind;
  variant: DocumentVariant;
} {
  const { kind, variant } = params;
  if (!isDocumentKind(kind) || !isVariantOf(kind, variant))
    throw new AppError('DOCUMENT_TEMPLATE_UNKNOWN', undefined, { kind, variant });
  return { kind, variant };
}

/** Template designer routes (versions, publish/rollback, preview) and number series. */
export function registerTemplateRoutes(r: OpenAPIHono<AppEnv>, p: Platform) {
  const tz = () => p.config.QUADMETER_TIMEZONE;
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/templates',
      tag,
      summary: 'Every document kind and paper variant with the template in force',
      response: TemplateSummaryList,
    }),
    async (c) => {
      const items = await inTenant(p, c, 'documents.read', async (tx) => {
        const out = [];
        for (const kind of documentKinds)
          for (const variant of variantsOf[kind]) {
            const t = await currentTemplate(tx, kind, variant);
            out.push({
              kind,
              variant,
              source: t.versionId ? ('tenant' as const) : ('default' as const),
              version: t.version,
            });
          }
        return out;
      });
      return c.json({ items }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/templates/{kind}/{variant}',
      tag,
      summary: 'A template in force, the default, the versions and the field palette',
      params: TemplateParams,
      response: TemplateDetail,
    }),
    async (c) => {
      const { kind, variant } = pairOf(c.req.valid('param'));
      const out = await inTenant(p, c, 'documents.read', async (tx) => {
        const t = await currentTemplate(tx, kind, variant);
        return {
          kind,
          variant,
          source: t.source,
          origin: t.versionId ? ('tenant' as const) : ('default' as const),
          version: t.version,
          defaultSource: defaultSource(kind, variant),
          versions: await listVersions(tx, kind, variant),
          fields: fieldPalette(kind),
        };
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/templates/{kind}/{variant}/versions/{version}',
      tag,
      summary: 'One stored version with its source',
      params: VersionParams,
      response: VersionSource,
    }),
    async (c) => {
      const { version, ...kv } = c.req.valid('param');
      const { kind, variant } = pairOf(kv);
      const out = await inTenant(p, c, 'documents.read', async (tx) => {
        const v = await versionSource(tx, kind, variant, version);
        const meta = (await listVersions(tx, kind, variant)).find((x) => x.id === v.id);
        return { ...meta!, source: v.source };
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/templates/{kind}/{variant}/versions',
      tag,
      summary:
        'Save a new version (checked by rendering the sample; DOCUMENT_TEMPLATE_INVALID with line/column)',
      params: TemplateParams,
      body: VersionCreate,
      response: TemplateVersion,
    }),
    async (c) => {
      const { kind, variant } = pairOf(c.req.valid('param'));
      const b = c.req.valid('json');
      const out = await inTenant(p, c, 'documents.design', async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        renderDocument(b.source, sampleView(kind), tz());
        const v = await addVersion(
          tx,
          tenantId,
          kind,
          variant,
          b.source,
          b.note,
          actor.displayName || actor.name,
        );
        if (b.publish) await publishVersion(tx, tenantId, kind, variant, v.id);
        await recordAudit(tx, tenantId, meta, {
          action: b.publish ? 'document-templates.publish' : 'document-templates.save',
          targetType: 'document-template',
          targetId: `${kind}/${variant}`,
          after: { version: v.version, note: b.note, published: b.publish },
        });
        return (await listVersions(tx, kind, variant)).find((x) => x.id === v.id)!;
      });
      return c.json(out, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/templates/{kind}/{variant}/versions/{version}/publish',
      tag,
      summary: 'Make a version current (publishing an older version rolls back)',
      params: VersionParams,
      status: 200,
      response: TemplateVersion,
    }),
    async (c) => {
      const { version, ...kv } = c.req.valid('param');
      const { kind, variant } = pairOf(kv);
      const out = await inTenant(p, c, 'documents.design', async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const before = await currentTemplate(tx, kind, variant);
        const v = await versionSource(tx, kind, variant, version);
        await publishVersion(tx, tenantId, kind, variant, v.id);
        await recordAudit(tx, tenantId, meta, {
          action: 'document-templates.publish',
          targetType: 'document-template',
          targetId: `${kind}/${variant}`,
          before: { version: before.version },
          after: { version },
        });
        return (await listVersions(tx, kind, variant)).find((x) => x.id === v.id)!;
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/templates/preview',
      tag,
      summary: 'Render a template with the sample data or a real payment/bill (nothing is stored)',
      body: PreviewBody,
      status: 200,
      response: PreviewResult,
    }),
    async (c) => {
      const b = c.req.valid('json');
      pairOf(b);
      const html = await inTenant(p, c, 'documents.read', async (tx, { actor }) => {
        let view: object = sampleView(b.kind);
        if (b.paymentId && b.kind === 'receipt')
          view = (await receiptView(tx, actor, b.paymentId, '（预览）', new Date().toISOString())).view;
        else if (b.billId && (b.kind === 'payment-notice' || b.kind === 'invoice'))
          view = (
            await billDocumentView(
              tx,
              actor,
              b.kind,
              await billRow(tx, actor, b.billId),
              '（预览）',
              new Date().toISOString(),
            )
          ).view;
        else if (b.paymentId || b.billId)
          throw new AppError(
            'REQ_VALIDATION',
            'paymentId goes with a receipt, billId with a notice or invoice',
            [{ path: b.paymentId ? 'paymentId' : 'billId', message: 'does not fit this kind' }],
          );
        return renderDocument(b.source, view, tz());
      });
      return c.json({ html }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/series',
      tag,
      summary: 'The number series of every kind',
      response: SeriesList,
    }),
    async (c) => {
      const items = await inTenant(p, c, 'documents.read', (tx) => listSeries(tx));
      return c.json({ items }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/series/{kind}',
      tag,
      summary: 'Set a series’ number pattern ({yyyy} {yy} {mm} {dd} and one {seq:N})',
      params: KindParam,
      body: SeriesBody,
      response: SeriesList,
    }),
    async (c) => {
      const { kind } = c.req.valid('param');
      if (!isDocumentKind(kind)) throw new AppError('DOCUMENT_TEMPLATE_UNKNOWN', undefined, { kind });
      const { pattern } = c.req.valid('json');
      const items = await inTenant(p, c, 'documents.design', async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const before = (await listSeries(tx)).find((s) => s.kind === kind);
        await setPattern(tx, tenantId, kind, pattern);
        await recordAudit(tx, tenantId, meta, {
          action: 'document-series.update',
          targetType: 'document-series',
          targetId: kind,
          before: { pattern: before?.pattern },
          after: { pattern },
        });
        return await listSeries(tx);
      });
      return c.json({ items }, 200);
    },
  );
}

import { PLATFORM_TENANT_ID } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Platform } from '../../platform.ts';
import { listAudit } from '../../services/audit/record.ts';
import { requirePermission } from '../../services/identity/actor.ts';
import { jsonRoute, PageQuery, router, text, z } from '../route-kit.ts';

const Entry = z
  .object({
    id: z.string(),
    at: z.string(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    targetName: z
      .string()
      .nullable()
      .openapi({ description: 'What a person calls the target (user name, role or area name …)' }),
    targetTitle: z
      .object({ 'zh-CN': z.string(), en: z.string() })
      .nullable()
      .openapi({ description: 'The target title by language, for targets that have one (plugins)' }),
    summary: z.object({ before: z.unknown(), after: z.unknown() }),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .openapi('AuditEntry');

export function auditRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'audit',
      summary: 'The audit log (operators without a tenant see platform events)',
      query: PageQuery.extend({
        action: text(0, 64).optional(),
        actor: text(0, 64).optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
      }),
      response: z.object({
        items: z.array(Entry),
        total: z.number(),
        page: z.number(),
        pageSize: z.number(),
      }),
    }),
    async (c) => {
      const actor = c.get('actor');
      requirePermission(actor, 'audit.read');
      const tenantId = actor.tenantId ?? (actor.kind === 'operator' ? PLATFORM_TENANT_ID : null);
      if (!tenantId) return c.json({ items: [], total: 0, page: 1, pageSize: 20 }, 200);
      return c.json(
        await withTenant(p.db, tenantId, (tx) =>
          listAudit(
            tx,
            actor,
            c.req.valid('query'),
            (id) => p.registry.list().find((x) => x.id === id)?.title,
          ),
        ),
        200,
      );
    },
  );
  return r;
}

import { AppError } from '@quadmeter/sdk';
import { PLATFORM_TENANT_ID } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { OPERATOR_PERMISSION } from '../../services/identity/permissions.ts';
import { createTenant, listTenants, tenantDto, updateTenant } from '../../services/tenants/tenants.ts';
import { IdParam, jsonRoute, requestMeta, router, z } from '../route-kit.ts';

const Tenant = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    status: z.enum(['active', 'suspended']),
    createdAt: z.string(),
  })
  .openapi('Tenant');

export function tenantRoutes(p: Platform) {
  const r = router();
  r.use('*', async (c, next) => {
    if (!c.get('actor').permissions.has(OPERATOR_PERMISSION))
      throw new AppError('AUTH_FORBIDDEN', 'Platform operators only');
    await next();
  });
  const audit = (
    c: Parameters<typeof requestMeta>[0],
    action: string,
    targetId: string,
    before: unknown,
    after: unknown,
  ) =>
    withTenant(p.db, PLATFORM_TENANT_ID, (tx) =>
      recordAudit(tx, PLATFORM_TENANT_ID, requestMeta(c), {
        action,
        targetType: 'tenant',
        targetId,
        before,
        after,
      }),
    );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'tenants',
      summary: 'List tenants',
      response: z.object({ items: z.array(Tenant), total: z.number() }),
    }),
    async (c) => c.json(await listTenants(p.db), 200),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag: 'tenants',
      summary: 'Create a tenant with its first administrator',
      body: z
        .object({
          code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes'),
          name: z.string().min(1).max(100),
          adminUsername: z.string().min(1).max(64),
          adminPassword: z.string().min(10).max(256),
        })
        .strict(),
      response: Tenant,
    }),
    async (c) => {
      const t = await createTenant(p.db, c.req.valid('json'));
      await audit(c, 'tenants.create', t.id, null, tenantDto(t));
      return c.json(tenantDto(t), 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag: 'tenants',
      summary: 'Rename, suspend or activate a tenant',
      params: IdParam,
      body: z
        .object({
          name: z.string().min(1).max(100).optional(),
          status: z.enum(['active', 'suspended']).optional(),
        })
        .strict(),
      response: Tenant,
    }),
    async (c) => {
      const { before, after } = await updateTenant(p.db, c.req.valid('param').id, c.req.valid('json'));
      await audit(c, 'tenants.update', after.id, tenantDto(before), tenantDto(after));
      return c.json(tenantDto(after), 200);
    },
  );
  return r;
}

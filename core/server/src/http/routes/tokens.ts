import { AppError } from '@quadmeter/sdk';
import { eq } from 'drizzle-orm';
import { tenants } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  tokenDto,
} from '../../services/identity/api-tokens.ts';
import { IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';

const Token = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .openapi('ApiToken');

export function tokenRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'tokens',
      summary: 'API tokens of this tenant (yours only when your scope is a set of areas)',
      response: z.object({ items: z.array(Token), total: z.number() }),
    }),
    async (c) =>
      c.json(await inTenant(p, c, 'tokens.manage', (tx, { actor }) => listApiTokens(tx, actor)), 200),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag: 'tokens',
      summary: 'Issue an API token (the secret is returned once)',
      body: z
        .object({
          name: z.string().min(1).max(64),
          scopes: z.array(z.string().max(64)).min(1).max(50),
          expiresAt: z.iso.datetime({ offset: true }).optional(),
        })
        .strict(),
      response: z.object({ token: z.string(), item: Token }),
    }),
    async (c) => {
      if (c.get('actor').kind === 'token')
        throw new AppError('AUTH_FORBIDDEN', 'A token cannot issue tokens');
      const out = await inTenant(p, c, 'tokens.manage', async (tx, { actor, tenantId, meta }) => {
        const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
        const created = await createApiToken(tx, actor, tenant, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'tokens.create',
          targetType: 'api-token',
          targetId: created.item.id,
          after: created.item,
        });
        return created;
      });
      return c.json(out, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/{id}',
      tag: 'tokens',
      summary: 'Revoke a token',
      params: IdParam,
      status: 204,
    }),
    async (c) => {
      await inTenant(p, c, 'tokens.manage', async (tx, { actor, tenantId, meta }) => {
        const row = await revokeApiToken(tx, actor, c.req.valid('param').id);
        await recordAudit(tx, tenantId, meta, {
          action: 'tokens.revoke',
          targetType: 'api-token',
          targetId: row.id,
          after: tokenDto(row),
        });
      });
      return c.body(null, 204);
    },
  );
  return r;
}

import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { revokeUserSessions } from '../../services/identity/sessions.ts';
import {
  createUser,
  deleteUser,
  getUser,
  listUsers,
  updateUser,
  userAreaPath,
} from '../../services/identity/users.ts';
import { IdParam, inTenant, jsonRoute, PageQuery, router, z } from '../route-kit.ts';

const User = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    status: z.enum(['active', 'disabled']),
    locale: z.string(),
    roleIds: z.array(z.string()),
    areaIds: z.array(z.string()),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .openapi('User');

const username = z.string().regex(/^[A-Za-z0-9._@-]{2,64}$/, '2–64 letters, digits or . _ @ -');
const password = z.string().min(10).max(256);

export function userRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'users',
      summary: 'List users within your scope',
      query: PageQuery.extend({ q: z.string().max(64).optional() }),
      response: z.object({ items: z.array(User), total: z.number(), page: z.number(), pageSize: z.number() }),
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'users.read', (tx, { actor }) => listUsers(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag: 'users',
      summary: 'One user',
      params: IdParam,
      response: User,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'users.read', (tx, { actor }) => getUser(tx, actor, c.req.valid('param').id)),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag: 'users',
      summary: 'Create a user',
      body: z
        .object({
          username,
          displayName: z.string().min(1).max(100),
          password,
          roleIds: z.array(z.uuid()).max(50).default([]),
          areaIds: z.array(z.uuid()).max(200).default([]),
          locale: z.enum(['zh-CN', 'en']).optional(),
        })
        .strict(),
      response: User,
    }),
    async (c) => {
      const user = await inTenant(p, c, 'users.manage', async (tx, { actor, tenantId, meta }) => {
        const u = await createUser(tx, actor, tenantId, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'users.create',
          targetType: 'user',
          targetId: u.id,
          areaPath: await userAreaPath(tx, u.areaIds),
          after: u,
        });
        return u;
      });
      return c.json(user, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag: 'users',
      summary: 'Change a user',
      params: IdParam,
      body: z
        .object({
          displayName: z.string().min(1).max(100).optional(),
          password: password.optional(),
          status: z.enum(['active', 'disabled']).optional(),
          roleIds: z.array(z.uuid()).max(50).optional(),
          areaIds: z.array(z.uuid()).max(200).optional(),
          locale: z.enum(['zh-CN', 'en']).optional(),
        })
        .strict(),
      response: User,
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const patch = c.req.valid('json');
      const { after, tenantId, revokeAccess } = await inTenant(
        p,
        c,
        'users.manage',
        async (tx, { actor, tenantId, meta }) => {
          const { before, after, revokeAccess } = await updateUser(tx, actor, tenantId, id, patch);
          await recordAudit(tx, tenantId, meta, {
            action: 'users.update',
            targetType: 'user',
            targetId: id,
            areaPath: await userAreaPath(tx, after.areaIds),
            before,
            after: { ...after, passwordChanged: patch.password !== undefined },
          });
          return { after, tenantId, revokeAccess };
        },
      );
      if (revokeAccess) await revokeUserSessions(p.db, tenantId, id);
      return c.json(after, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/{id}',
      tag: 'users',
      summary: 'Delete a user',
      params: IdParam,
      status: 204,
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const tenantId = await inTenant(p, c, 'users.manage', async (tx, { actor, tenantId, meta }) => {
        const before = await deleteUser(tx, actor, id);
        await recordAudit(tx, tenantId, meta, {
          action: 'users.delete',
          targetType: 'user',
          targetId: id,
          areaPath: await userAreaPath(tx, before.areaIds),
          before,
        });
        return tenantId;
      });
      await revokeUserSessions(p.db, tenantId, id);
      return c.body(null, 204);
    },
  );
  return r;
}

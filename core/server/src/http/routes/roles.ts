import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { operatorPermissionCatalogue, permissionCatalogue } from '../../services/identity/permissions.ts';
import { createRole, deleteRole, listRoles, roleDto, updateRole } from '../../services/identity/roles.ts';
import { auditedDelete } from '../audited-delete.ts';
import { IdParam, inTenant, jsonRoute, patchBody, router, text, z } from '../route-kit.ts';

const Role = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    builtin: z.boolean(),
    builtinKey: z
      .string()
      .nullable()
      .openapi({ description: 'The built-in role this is (admin, reader, cashier); null for a custom role' }),
  })
  .openapi('Role');
const permissions = z.array(text(0, 64)).max(200);

export function roleRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'roles',
      summary: 'List roles',
      response: z.object({ items: z.array(Role), total: z.number() }),
    }),
    async (c) => c.json(await inTenant(p, c, 'roles.read', (tx) => listRoles(tx)), 200),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag: 'roles',
      summary: 'Create a role',
      body: z.object({ name: text(1, 64), description: text(0, 200).optional(), permissions }).strict(),
      response: Role,
    }),
    async (c) => {
      const role = await inTenant(p, c, 'roles.manage', async (tx, { actor, tenantId, meta }) => {
        const row = roleDto(await createRole(tx, actor, tenantId, c.req.valid('json')));
        await recordAudit(tx, tenantId, meta, {
          action: 'roles.create',
          targetType: 'role',
          targetId: row.id,
          after: row,
        });
        return row;
      });
      return c.json(role, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag: 'roles',
      summary: 'Change a role',
      params: IdParam,
      body: patchBody(
        z
          .object({
            name: text(1, 64).optional(),
            description: text(0, 200).optional(),
            permissions: permissions.optional(),
          })
          .strict(),
      ),
      response: Role,
    }),
    async (c) => {
      const role = await inTenant(p, c, 'roles.manage', async (tx, { actor, tenantId, meta }) => {
        const { before, after } = await updateRole(tx, actor, c.req.valid('param').id, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'roles.update',
          targetType: 'role',
          targetId: after.id,
          before: roleDto(before),
          after: roleDto(after),
        });
        return roleDto(after);
      });
      return c.json(role, 200);
    },
  );
  auditedDelete(r, p, {
    tag: 'roles',
    summary: 'Delete a role',
    permission: 'roles.manage',
    remove: deleteRole,
    audit: (before) => ({
      action: 'roles.delete',
      targetType: 'role',
      targetId: before.id,
      before: roleDto(before),
    }),
  });
  return r;
}

export function permissionRoutes() {
  const r = router();
  const Permission = z
    .object({
      key: z.string(),
      group: z.string(),
      kind: z.enum(['menu', 'action', 'api']),
      title: z.object({ 'zh-CN': z.string(), en: z.string() }),
    })
    .openapi('Permission');
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'roles',
      summary: 'The permission catalogue',
      response: z.object({
        items: z.array(Permission),
        operator: z.array(Permission).openapi({
          description: 'Permissions held by platform operators only; never assignable to a role',
        }),
      }),
    }),
    (c) => c.json({ items: [...permissionCatalogue], operator: [...operatorPermissionCatalogue] }, 200),
  );
  return r;
}

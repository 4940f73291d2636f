import { AppError } from '@quadmeter/sdk';
import { asc, count, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { roles, userRoles } from '../../db/schema/index.ts';
import { type Actor, requireWholeTenant } from './actor.ts';
import { permissionKeys } from './permissions.ts';

type RoleRow = typeof roles.$inferSelect;

export function roleDto(r: RoleRow) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    builtin: r.builtin !== null,
    /** which built-in role this is (`admin`, `reader`, `cashier`), null for a role made by a user */
    builtinKey: r.builtin,
  };
}

function checkPermissions(actor: Actor, permissions: string[]) {
  const unknown = permissions.filter((p) => !permissionKeys.has(p));
  if (unknown.length) {
    throw new AppError(
      'REQ_VALIDATION',
      'Unknown permission keys',
      unknown.map((p) => ({ path: 'permissions', message: `unknown permission ${p}` })),
    );
  }
  const beyond = permissions.filter((p) => !actor.permissions.has(p));
  if (beyond.length)
    throw new AppError('AUTH_FORBIDDEN', 'You cannot grant permissions you do not hold', { beyond });
}

/** Roles are tenant-wide: only a whole-tenant actor changes them, and only roles within their own grants. */
function checkCanChange(actor: Actor, role?: RoleRow) {
  requireWholeTenant(actor);
  const beyond = role?.permissions.filter((p) => permissionKeys.has(p) && !actor.permissions.has(p)) ?? [];
  if (beyond.length)
    throw new AppError('AUTH_FORBIDDEN', 'This role grants permissions you do not hold', {
      reason: 'role-holds-more',
      beyond,
    });
}

export async function listRoles(tx: Tx) {
  const rows = await tx.select().from(roles).orderBy(asc(roles.createdAt), asc(roles.name));
  return { items: rows.map(roleDto), total: rows.length };
}

export async function getRole(tx: Tx, id: string): Promise<RoleRow> {
  const [row] = await tx.select().from(roles).where(eq(roles.id, id));
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such role', { id });
  return row;
}

export interface RoleInput {
  name: string;
  description?: string;
  permissions: string[];
}

export async function createRole(tx: Tx, actor: Actor, tenantId: string, input: RoleInput) {
  checkCanChange(actor);
  checkPermissions(actor, input.permissions);
  const [dup] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.name, input.name));
  if (dup) throw new AppError('RESOURCE_CONFLICT', 'A role with this name exists', { name: input.name });
  const [row] = await tx
    .insert(roles)
    .values({
      tenantId,
      name: input.name,
      description: input.description ?? '',
      permissions: [...new Set(input.permissions)],
    })
    .returning();
  return row;
}

export async function updateRole(tx: Tx, actor: Actor, id: string, patch: Partial<RoleInput>) {
  const before = await getRole(tx, id);
  checkCanChange(actor, before);
  if (patch.permissions) checkPermissions(actor, patch.permissions);
  const [after] = await tx
    .update(roles)
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.permissions !== undefined && { permissions: [...new Set(patch.permissions)] }),
    })
    .where(eq(roles.id, id))
    .returning();
  return { before, after };
}

export async function deleteRole(tx: Tx, actor: Actor, id: string) {
  const before = await getRole(tx, id);
  checkCanChange(actor, before);
  if (before.builtin) throw new AppError('RESOURCE_CONFLICT', 'Built-in roles cannot be deleted');
  const [held] = await tx.select({ n: count() }).from(userRoles).where(eq(userRoles.roleId, id));
  if (held.n > 0) throw new AppError('RESOURCE_CONFLICT', 'Users still hold this role');
  await tx.delete(roles).where(eq(roles.id, id));
  return before;
}

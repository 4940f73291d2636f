import { AppError } from '@quadmeter/sdk';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators, roles, tenants, userAreas, userRoles, users } from '../../db/schema/index.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import type { Actor } from './actor.ts';
import { OPERATOR_PERMISSION, permissionKeys } from './permissions.ts';

/** An operator acts with every permission, in the tenant they switched to (or none). */
export async function loadOperatorActor(db: Db, operatorId: string, tenantId: string | null): Promise<Actor> {
  const [op] = await withSystem(db, (tx) => tx.select().from(operators).where(eq(operators.id, operatorId)));
  if (!op) throw new AppError('AUTH_SESSION_INVALID');
  if (op.status !== 'active') throw new AppError('AUTH_USER_DISABLED');
  return {
    kind: 'operator',
    id: op.id,
    name: op.username,
    displayName: op.displayName,
    locale: 'zh-CN',
    tenantId,
    permissions: new Set([...permissionKeys, OPERATOR_PERMISSION]),
    areaScope: null,
  };
}

/** A tenant user: the union of their roles' permissions, scoped to their granted areas. */
export async function loadUserActor(db: Db, tenantId: string, userId: string): Promise<Actor> {
  const [tenant] = await withSystem(db, (tx) => tx.select().from(tenants).where(eq(tenants.id, tenantId)));
  if (!tenant) throw new AppError('AUTH_SESSION_INVALID');
  if (tenant.status !== 'active') throw new AppError('AUTH_USER_DISABLED', 'This tenant is suspended');
  return await withTenant(db, tenantId, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user) throw new AppError('AUTH_SESSION_INVALID');
    if (user.status !== 'active') throw new AppError('AUTH_USER_DISABLED');
    const roleRows = await tx
      .select({ permissions: roles.permissions })
      .from(userRoles)
      .innerJoin(roles, and(eq(roles.tenantId, userRoles.tenantId), eq(roles.id, userRoles.roleId)))
      .where(eq(userRoles.userId, userId));
    const areaRows = await tx
      .select({ areaId: userAreas.areaId })
      .from(userAreas)
      .where(eq(userAreas.userId, userId));
    const permissions = new Set(roleRows.flatMap((r) => r.permissions).filter((k) => permissionKeys.has(k)));
    return {
      kind: 'user',
      id: user.id,
      name: user.username,
      displayName: user.displayName,
      locale: user.locale,
      tenantId,
      permissions,
      areaScope: areaRows.length ? areaRows.map((a) => a.areaId) : null,
    } satisfies Actor;
  });
}

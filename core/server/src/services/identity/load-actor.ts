import { AppError } from '@quadmeter/sdk';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators, tenants, users } from '../../db/schema/index.ts';
import { readSystem, withTenant } from '../../db/tenant.ts';
import type { Actor } from './actor.ts';
import { OPERATOR_PERMISSION, permissionKeys } from './permissions.ts';

/** An operator acts with every permission, in the tenant they switched to (or none). */
export async function loadOperatorActor(db: Db, operatorId: string, tenantId: string | null): Promise<Actor> {
  const [op] = await readSystem(db, (q) => q.select().from(operators).where(eq(operators.id, operatorId)));
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

/**
 * A tenant user: the union of their roles' permissions, scoped to their granted areas. One
 * statement inside the tenant's transaction. `tenantStatus` may be passed when the caller already
 * read it (the session lookup joins it), saving a round trip.
 */
export async function loadUserActor(
  db: Db,
  tenantId: string,
  userId: string,
  tenantStatus?: string,
): Promise<Actor> {
  const status =
    tenantStatus ??
    (
      await readSystem(db, (q) =>
        q.select({ s: tenants.status }).from(tenants).where(eq(tenants.id, tenantId)),
      )
    )[0]?.s;
  if (!status) throw new AppError('AUTH_SESSION_INVALID');
  if (status !== 'active') throw new AppError('AUTH_USER_DISABLED', 'This tenant is suspended');
  return await withTenant(db, tenantId, async (tx) => {
    const [user] = await tx
      .select({
        user: users,
        permissions: sql<string[]>`array(select distinct unnest(r.permissions) from user_roles ur
          join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id where ur.user_id = "users"."id")`,
        areaIds: sql<
          string[]
        >`array(select ua.area_id::text from user_areas ua where ua.user_id = "users"."id")`,
      })
      .from(users)
      .where(eq(users.id, userId));
    if (!user) throw new AppError('AUTH_SESSION_INVALID');
    if (user.user.status !== 'active') throw new AppError('AUTH_USER_DISABLED');
    return {
      kind: 'user',
      id: user.user.id,
      name: user.user.username,
      displayName: user.user.displayName,
      locale: user.user.locale,
      tenantId,
      permissions: new Set(user.permissions.filter((k) => permissionKeys.has(k))),
      areaScope: user.areaIds.length ? user.areaIds : null,
    } satisfies Actor;
  });
}

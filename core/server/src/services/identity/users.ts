import { AppError } from '@quadmeter/sdk';
import { and, asc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { areas, roles, userAreas, userRoles, users } from '../../db/schema/index.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Actor } from './actor.ts';
import { revokeUserTokens } from './api-tokens.ts';
import { assertStrongPassword } from './password-policy.ts';
import { hashPassword } from './passwords.ts';
import { permissionKeys } from './permissions.ts';

type UserRow = typeof users.$inferSelect;

/**
 * A scoped actor reaches a user only when the user is scoped too and every area granted to that
 * user lies inside the actor's subtrees. Whole-tenant users are outside every narrower scope.
 */
function scopeCondition(actor: Actor): SQL | undefined {
  if (!actor.areaScope) return undefined;
  const scope = uuidArray(actor.areaScope);
  return sql`exists (select 1 from ${userAreas} ua where ua.user_id = ${users.id})
    and not exists (select 1 from ${userAreas} ua join ${areas} a on a.tenant_id = ua.tenant_id and a.id = ua.area_id
                    where ua.user_id = ${users.id} and not (a.path && ${scope}))`;
}

type Links = { roleIds: string[]; areaIds: string[] };

function userDto(u: UserRow & Links) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    status: u.status,
    locale: u.locale,
    roleIds: u.roleIds,
    areaIds: u.areaIds,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  };
}

async function dto(tx: Tx, rows: UserRow[]) {
  const ids = rows.map((r) => r.id);
  const [r, a] = ids.length
    ? await Promise.all([
        tx.select().from(userRoles).where(inArray(userRoles.userId, ids)),
        tx.select().from(userAreas).where(inArray(userAreas.userId, ids)),
      ])
    : [[], []];
  return rows.map((u) =>
    userDto({
      ...u,
      roleIds: r.filter((x) => x.userId === u.id).map((x) => x.roleId),
      areaIds: a.filter((x) => x.userId === u.id).map((x) => x.areaId),
    }),
  );
}

/** One page of users with their roles, areas and the total, in one statement. */
export async function listUsers(tx: Tx, actor: Actor, q: { page: number; pageSize: number; q?: string }) {
  const cond = and(
    scopeCondition(actor),
    q.q ? or(ilike(users.username, `%${q.q}%`), ilike(users.displayName, `%${q.q}%`)) : undefined,
  );
  const rows = await tx
    .select({
      user: users,
      roleIds: sql<
        string[]
      >`array(select ur.role_id::text from ${userRoles} ur where ur.user_id = ${users.id})`,
      areaIds: sql<
        string[]
      >`array(select ua.area_id::text from ${userAreas} ua where ua.user_id = ${users.id})`,
      total: sql<number>`count(*) over ()::int`,
    })
    .from(users)
    .where(cond)
    .orderBy(asc(users.username))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  // past the last page no row carries the total
  const total =
    rows[0]?.total ?? (await tx.select({ n: sql<number>`count(*)::int` }).from(users).where(cond))[0].n;
  return {
    items: rows.map((r) => userDto({ ...r.user, roleIds: r.roleIds, areaIds: r.areaIds })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getUser(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, id), scopeCondition(actor)));
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such user', { id });
  return (await dto(tx, [row]))[0];
}

/** Refuses grants beyond the actor's own reach: areas outside scope, roles with more permissions. */
async function checkGrants(tx: Tx, actor: Actor, roleIds?: string[], areaIds?: string[]) {
  if (areaIds !== undefined) {
    if (areaIds.length === 0 && actor.areaScope) {
      throw new AppError('AUTH_FORBIDDEN', 'Only users with whole-tenant scope can grant whole-tenant scope');
    }
    if (areaIds.length) {
      const found = await tx.select().from(areas).where(inArray(areas.id, areaIds));
      const ok = found.filter((a) => !actor.areaScope || actor.areaScope.some((s) => a.path.includes(s)));
      if (ok.length !== new Set(areaIds).size)
        throw new AppError('AREA_OUT_OF_SCOPE', undefined, { areaIds });
    }
  }
  if (roleIds?.length) {
    const found = await tx.select().from(roles).where(inArray(roles.id, roleIds));
    if (found.length !== new Set(roleIds).size)
      throw new AppError('RESOURCE_NOT_FOUND', 'No such role', { roleIds });
    const beyond = found.flatMap((r) => r.permissions).filter((p) => !actor.permissions.has(p));
    if (beyond.length)
      throw new AppError('AUTH_FORBIDDEN', 'A role grants permissions you do not hold', { beyond });
  }
}

/** The permissions a user holds through their roles. */
async function heldPermissions(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx
    .select({ permissions: roles.permissions })
    .from(userRoles)
    .innerJoin(roles, and(eq(roles.tenantId, userRoles.tenantId), eq(roles.id, userRoles.roleId)))
    .where(eq(userRoles.userId, userId));
  return [...new Set(rows.flatMap((r) => r.permissions))].filter((k) => permissionKeys.has(k));
}

/**
 * Taking over another account (password, status, roles, areas, deletion) is allowed only over a
 * user who holds no permission the actor lacks. The target's areas lie inside the actor's scope
 * already: `getUser` does not find users outside it (a whole-tenant user is outside every scope).
 */
async function assertCanManage(tx: Tx, actor: Actor, targetId: string): Promise<void> {
  const beyond = (await heldPermissions(tx, targetId)).filter((k) => !actor.permissions.has(k));
  if (beyond.length) {
    throw new AppError('AUTH_FORBIDDEN', 'This user holds permissions you do not hold', {
      reason: 'target-holds-more',
      beyond: beyond.sort(),
    });
  }
}

async function setLinks(tx: Tx, tenantId: string, userId: string, roleIds?: string[], areaIds?: string[]) {
  if (roleIds !== undefined) {
    await tx.delete(userRoles).where(eq(userRoles.userId, userId));
    if (roleIds.length)
      await tx
        .insert(userRoles)
        .values([...new Set(roleIds)].map((roleId) => ({ tenantId, userId, roleId })));
  }
  if (areaIds !== undefined) {
    await tx.delete(userAreas).where(eq(userAreas.userId, userId));
    if (areaIds.length)
      await tx
        .insert(userAreas)
        .values([...new Set(areaIds)].map((areaId) => ({ tenantId, userId, areaId })));
  }
}

export interface UserInput {
  username: string;
  displayName: string;
  password: string;
  roleIds: string[];
  areaIds: string[];
  locale?: string;
}

export async function createUser(tx: Tx, actor: Actor, tenantId: string, input: UserInput) {
  assertStrongPassword(input.password);
  await checkGrants(tx, actor, input.roleIds, input.areaIds);
  const [dup] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
  if (dup) throw new AppError('RESOURCE_CONFLICT', 'The user name is taken', { username: input.username });
  const [row] = await tx
    .insert(users)
    .values({
      tenantId,
      username: input.username,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      locale: input.locale ?? 'zh-CN',
    })
    .returning();
  await setLinks(tx, tenantId, row.id, input.roleIds, input.areaIds);
  return (await dto(tx, [row]))[0];
}

export interface UserPatch {
  displayName?: string;
  password?: string;
  status?: 'active' | 'disabled';
  roleIds?: string[];
  areaIds?: string[];
  locale?: string;
}

export async function updateUser(tx: Tx, actor: Actor, tenantId: string, id: string, patch: UserPatch) {
  if (patch.password !== undefined) assertStrongPassword(patch.password);
  const before = await getUser(tx, actor, id);
  const takesOver =
    patch.password !== undefined ||
    patch.status !== undefined ||
    patch.roleIds !== undefined ||
    patch.areaIds !== undefined;
  if (takesOver) await assertCanManage(tx, actor, id);
  await checkGrants(tx, actor, patch.roleIds, patch.areaIds);
  if (
    id === actor.id &&
    (patch.status === 'disabled' || patch.roleIds !== undefined || patch.areaIds !== undefined)
  ) {
    throw new AppError('AUTH_FORBIDDEN', 'You cannot change your own status, roles or scope');
  }
  const set = {
    ...(patch.displayName !== undefined && { displayName: patch.displayName }),
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.locale !== undefined && { locale: patch.locale }),
    ...(patch.password !== undefined && { passwordHash: await hashPassword(patch.password) }),
  };
  if (Object.keys(set).length) await tx.update(users).set(set).where(eq(users.id, id));
  await setLinks(tx, tenantId, id, patch.roleIds, patch.areaIds);
  // a new password or a disabled account ends every way in: API tokens here, sessions by the caller
  const revokeAccess = patch.password !== undefined || patch.status === 'disabled';
  if (revokeAccess) await revokeUserTokens(tx, id);
  return { before, after: await getUser(tx, { ...actor, areaScope: null }, id), revokeAccess };
}

export async function deleteUser(tx: Tx, actor: Actor, id: string) {
  if (id === actor.id) throw new AppError('AUTH_FORBIDDEN', 'You cannot delete yourself');
  const before = await getUser(tx, actor, id);
  await assertCanManage(tx, actor, id);
  await revokeUserTokens(tx, id);
  await tx.delete(users).where(eq(users.id, id));
  return before;
}

/** The area path an audit entry about this user is filed under (its first granted area). */
export async function userAreaPath(tx: Tx, areaIds: string[]): Promise<string[] | null> {
  if (!areaIds.length) return null;
  const [a] = await tx.select({ path: areas.path }).from(areas).where(eq(areas.id, areaIds[0]));
  return a?.path ?? null;
}

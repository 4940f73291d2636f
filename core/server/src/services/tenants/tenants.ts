import { AppError } from '@quadmeter/sdk';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators, roles, tenants, userRoles, users } from '../../db/schema/index.ts';
import { readSystem, withSystem, withTenant } from '../../db/tenant.ts';
import { assertStrongPassword } from '../identity/password-policy.ts';
import { hashPassword } from '../identity/passwords.ts';
import { builtinRoles } from '../identity/permissions.ts';

type TenantRow = typeof tenants.$inferSelect;

export function tenantDto(t: TenantRow) {
  return { id: t.id, code: t.code, name: t.name, status: t.status, createdAt: t.createdAt.toISOString() };
}

export async function listTenants(db: Db) {
  const rows = await withSystem(db, (tx) => tx.select().from(tenants).orderBy(asc(tenants.code)));
  return { items: rows.map(tenantDto), total: rows.length };
}

export async function findTenantByCode(db: Db, code: string): Promise<TenantRow | undefined> {
  const [row] = await readSystem(db, (q) => q.select().from(tenants).where(eq(tenants.code, code)));
  return row;
}

export interface TenantInput {
  code: string;
  name: string;
  adminUsername: string;
  adminPassword: string;
  adminDisplayName?: string;
}

/** Creates a tenant with its built-in roles and a first administrator holding the admin role. */
export async function createTenant(db: Db, input: TenantInput): Promise<TenantRow> {
  assertStrongPassword(input.adminPassword, 'adminPassword');
  if (input.code === 'platform') throw new AppError('RESOURCE_CONFLICT', 'The code "platform" is reserved');
  if (await findTenantByCode(db, input.code)) {
    throw new AppError('RESOURCE_CONFLICT', 'A tenant with this code exists', { code: input.code });
  }
  const passwordHash = await hashPassword(input.adminPassword);
  const [tenant] = await withSystem(db, (tx) =>
    tx.insert(tenants).values({ code: input.code, name: input.name }).returning(),
  );
  await withTenant(db, tenant.id, async (tx) => {
    const created = await tx
      .insert(roles)
      .values(
        builtinRoles.map((r) => ({
          tenantId: tenant.id,
          name: r.name,
          description: r.description,
          permissions: [...r.permissions],
          builtin: r.key,
        })),
      )
      .returning();
    const [admin] = await tx
      .insert(users)
      .values({
        tenantId: tenant.id,
        username: input.adminUsername,
        displayName: input.adminDisplayName ?? input.adminUsername,
        passwordHash,
      })
      .returning();
    const adminRole = created.find((r) => r.builtin === 'admin')!;
    await tx.insert(userRoles).values({ tenantId: tenant.id, userId: admin.id, roleId: adminRole.id });
  });
  return tenant;
}

export async function updateTenant(
  db: Db,
  id: string,
  patch: { name?: string; status?: 'active' | 'suspended' },
) {
  return await withSystem(db, async (tx) => {
    const [before] = await tx.select().from(tenants).where(eq(tenants.id, id));
    if (!before) throw new AppError('TENANT_NOT_FOUND');
    const [after] = await tx.update(tenants).set(patch).where(eq(tenants.id, id)).returning();
    return { before, after };
  });
}

export async function ensureOperator(db: Db, username: string, password: string, displayName = username) {
  assertStrongPassword(password);
  const passwordHash = await hashPassword(password);
  await withSystem(db, (tx) =>
    tx
      .insert(operators)
      .values({ username, displayName, passwordHash })
      .onConflictDoUpdate({ target: operators.username, set: { passwordHash } }),
  );
}

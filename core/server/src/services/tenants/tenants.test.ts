import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { auditLog, PLATFORM_TENANT_ID, roles, tenants, userRoles, users } from '../../db/schema/index.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import { createTenant } from './tenants.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

async function tenantRows(code: string) {
  return await withSystem(t.database.db, (tx) => tx.select().from(tenants).where(eq(tenants.code, code)));
}

async function createAudits(tenantId: string) {
  return await withTenant(t.database.db, PLATFORM_TENANT_ID, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'tenants.create'), eq(auditLog.targetId, tenantId))),
  );
}

describe('createTenant is one transaction', () => {
  it('leaves no tenant and a reusable code when the administrator insert fails', async () => {
    // a NUL byte passes JavaScript but PostgreSQL refuses it in text (22021): the admin insert fails
    // after the tenant row and the roles were written in the same transaction
    await expect(
      createTenant(t.database.db, {
        code: 'half',
        name: 'Half',
        adminUsername: 'ad\u0000min',
        adminPassword: 'password-half',
      }),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '22021' }) });
    expect(await tenantRows('half')).toEqual([]);
    const orphans = await withSystem(t.database.db, (tx) =>
      tx.execute(
        sql`select (select count(*) from roles r where not exists (select 1 from tenants x where x.id = r.tenant_id))::int as roles,
          (select count(*) from audit_log where action = 'tenants.create')::int as audits`,
      ),
    );
    expect(orphans[0]).toEqual({ roles: 0, audits: 0 });

    const again = await createTenant(t.database.db, {
      code: 'half',
      name: 'Half again',
      adminUsername: 'admin',
      adminPassword: 'password-half',
    });
    expect(again.code).toBe('half');
    expect((await tenantRows('half')).map((r) => r.name)).toEqual(['Half again']);
  });

  it('writes the tenant, three built-in roles, the admin with the admin role and the audit entry', async () => {
    const tenant = await createTenant(t.database.db, {
      code: 'whole',
      name: 'Whole',
      adminUsername: 'boss',
      adminPassword: 'password-whole',
    });
    const got = await withTenant(t.database.db, tenant.id, async (tx) => ({
      roles: (await tx.select().from(roles)).map((r) => r.builtin).sort(),
      users: (await tx.select().from(users)).map((u) => u.username),
      grants: await tx
        .select({ builtin: roles.builtin })
        .from(userRoles)
        .innerJoin(roles, eq(roles.id, userRoles.roleId)),
    }));
    expect(got.roles).toHaveLength(3);
    expect(got.roles).toContain('admin');
    expect(got.users).toEqual(['boss']);
    expect(got.grants).toEqual([{ builtin: 'admin' }]);
    const audits = await createAudits(tenant.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      tenantId: PLATFORM_TENANT_ID,
      actorType: 'system',
      targetType: 'tenant',
      after: expect.objectContaining({ code: 'whole', name: 'Whole' }),
    });
  });
});

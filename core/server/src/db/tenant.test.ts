import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { createTenant } from '../services/tenants/tenants.ts';
import { areas, auditLog, users } from './schema/index.ts';
import { withSystem, withTenant } from './tenant.ts';

let t: TestDatabase;
let a: string;
let b: string;
let bUser: string;

beforeAll(async () => {
  t = await createTestDatabase();
  a = (
    await createTenant(t.database.db, {
      code: 'ta',
      name: 'A',
      adminUsername: 'admin',
      adminPassword: 'password-a',
    })
  ).id;
  b = (
    await createTenant(t.database.db, {
      code: 'tb',
      name: 'B',
      adminUsername: 'admin',
      adminPassword: 'password-b',
    })
  ).id;
  [{ id: bUser }] = await withTenant(t.database.db, b, (tx) => tx.select({ id: users.id }).from(users));
});
afterAll(async () => t?.drop());

const rlsError = expect.objectContaining({ cause: expect.objectContaining({ code: '42501' }) });

describe('row-level security (database level)', () => {
  it('runs tenant queries as a role that is neither superuser nor owner', async () => {
    const [row] = await withTenant(t.database.db, a, (tx) =>
      tx.execute(sql`select current_user as who, (select rolsuper from pg_roles where rolname = current_user) as su,
        (select rolbypassrls from pg_roles where rolname = current_user) as bypass`),
    );
    expect(row).toMatchObject({ who: 'quadmeter_app', su: false, bypass: false });
  });

  it('sees only its own rows even when it asks for the other tenant by id', async () => {
    const all = await withTenant(t.database.db, a, (tx) => tx.select().from(users));
    expect(all.map((u) => u.tenantId)).toEqual([a]);
    const forged = await withTenant(t.database.db, a, (tx) =>
      tx.select().from(users).where(eq(users.tenantId, b)),
    );
    expect(forged).toEqual([]);
    const byId = await withTenant(t.database.db, a, (tx) =>
      tx.select().from(users).where(eq(users.id, bUser)),
    );
    expect(byId).toEqual([]);
  });

  it('cannot insert rows for another tenant', async () => {
    await expect(
      withTenant(t.database.db, a, (tx) =>
        tx
          .insert(areas)
          .values({ tenantId: b, id: crypto.randomUUID(), name: 'x', kind: 'company', path: [] }),
      ),
    ).rejects.toEqual(rlsError);
  });

  it('cannot update or delete the other tenant’s rows', async () => {
    const updated = await withTenant(t.database.db, a, (tx) =>
      tx.update(users).set({ displayName: 'hijacked' }).where(eq(users.id, bUser)).returning(),
    );
    expect(updated).toEqual([]);
    const deleted = await withTenant(t.database.db, a, (tx) =>
      tx.delete(users).where(eq(users.id, bUser)).returning(),
    );
    expect(deleted).toEqual([]);
    const [still] = await withTenant(t.database.db, b, (tx) =>
      tx.select().from(users).where(eq(users.id, bUser)),
    );
    expect(still.displayName).toBe('admin');
  });

  it('cannot move its own row into another tenant', async () => {
    await expect(
      withTenant(t.database.db, a, (tx) =>
        tx.update(users).set({ tenantId: b }).where(eq(users.tenantId, a)),
      ),
    ).rejects.toEqual(rlsError);
  });

  it('sees nothing without a tenant and cannot set one by hand to escape', async () => {
    const none = await withSystem(t.database.db, async (tx) => {
      await tx.execute(sql`set local role quadmeter_app`);
      return tx.select().from(users);
    });
    expect(none).toEqual([]);
    await expect(
      withTenant(t.database.db, "x' or '1'='1", (tx) => tx.select().from(users)),
    ).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
  });

  it('keeps the audit log append-only, even for the table owner', async () => {
    await withTenant(t.database.db, a, (tx) =>
      tx
        .insert(auditLog)
        .values({ tenantId: a, actorType: 'system', actorName: 't', action: 'x', targetType: 'y' }),
    );
    await expect(withTenant(t.database.db, a, (tx) => tx.delete(auditLog))).rejects.toBeTruthy();
    await expect(
      withSystem(t.database.db, (tx) => tx.update(auditLog).set({ action: 'z' })),
    ).rejects.toBeTruthy();
    const [{ n }] = await withSystem(t.database.db, (tx) =>
      // tenant creation also writes its own tenants.create entries: count this test's row only
      tx.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.action, 'x')),
    );
    expect(n).toBe(1);
  });
});

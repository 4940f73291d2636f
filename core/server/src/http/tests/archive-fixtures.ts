import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { Client, loggedIn } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import type { Tx } from '../../db/client.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';

export type Area = { id: string; name: string; parentId: string | null; path: string[] };

/** The demo tenant's areas by name (阳光花园小区 › 1号楼 › 1单元, 2号楼; 幸福里小区 › 3号楼). */
export async function demoAreas(admin: Client): Promise<Record<string, Area>> {
  const items: Area[] = (await admin.get('/api/v1/areas')).body.items;
  const byName: Record<string, Area> = Object.fromEntries(items.map((a) => [a.name, a]));
  // unit names repeat across buildings: '1单元' is the one in 1号楼
  byName['1单元'] = items.find((a) => a.name === '1单元' && a.parentId === byName['1号楼'].id)!;
  return byName;
}

/** A role with exactly `permissions` and a user holding it, scoped to `areaIds` (empty = whole tenant). */
export async function userWith(
  p: TestPlatform,
  admin: Client,
  username: string,
  permissions: string[],
  areaIds: string[] = [],
): Promise<Client> {
  const role = await admin.post('/api/v1/roles', { name: `role-${username}`, permissions });
  expect(role.status).toBe(201);
  const made = await admin.post('/api/v1/users', {
    username,
    displayName: username,
    password: `${username}-password-1`,
    roleIds: [role.body.id],
    areaIds,
  });
  expect(made.status).toBe(201);
  return await loggedIn(p.baseUrl, 'demo', username, `${username}-password-1`);
}

/** A client authenticating with a fresh API token of the admin holding `scopes`. */
export async function tokenClient(p: TestPlatform, admin: Client, scopes: string[]): Promise<Client> {
  const made = await admin.post('/api/v1/tokens', { name: `t-${scopes.join('-')}`, scopes });
  expect(made.status).toBe(201);
  const c = new Client(p.baseUrl);
  c.bearer = made.body.token;
  return c;
}

/** A second tenant "other" with its admin logged in. */
export async function otherTenant(p: TestPlatform): Promise<Client> {
  const op = await loggedIn(p.baseUrl, 'platform', 'operator', p.operator.password);
  const created = await op.post('/api/v1/tenants', {
    code: 'other',
    name: '另一家公司',
    adminUsername: 'boss',
    adminPassword: 'other-password',
  });
  expect(created.status).toBe(201);
  return await loggedIn(p.baseUrl, 'other', 'boss', 'other-password');
}

export async function tenantId(p: TestPlatform, code: string): Promise<string> {
  const rows = await withSystem(p.running.platform.db, (tx) =>
    tx.execute<{ id: string }>(sql`select id from tenants where code = ${code}`),
  );
  return rows[0].id;
}

/** Runs `fn` in a transaction of the given tenant, as the services do. */
export async function inDemo<T>(p: TestPlatform, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return await withTenant(p.running.platform.db, await tenantId(p, 'demo'), fn);
}

/** Row counts of the archive tables and of audit entries other than logins, over all tenants. */
export async function archiveCounts(p: TestPlatform) {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from customers)::int as customers,
      (select count(*) from customer_facts)::int as facts,
      (select count(*) from accounts)::int as accounts,
      (select count(*) from account_billing_modes)::int as modes,
      (select count(*) from custom_fields)::int as fields,
      (select count(*) from audit_log where action <> 'auth.login')::int as audit`),
  );
  return row as Record<string, number>;
}

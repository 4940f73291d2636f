import { Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { accounts, customers } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';

/** Shared set-up of the archive route tests: the demo tenant, its areas and a second tenant. */
export interface ArchiveWorld {
  p: TestPlatform;
  admin: Client;
  tenantId: string;
  area: Record<string, { id: string; path: string[] }>;
  /** the first area called `name` below `ancestorId` */
  below(ancestorId: string, name: string): string;
  other: Client;
  otherTenantId: string;
  otherAreaId: string;
}

async function login(baseUrl: string, tenant: string, user: string, password: string) {
  const c = new Client(baseUrl);
  const body = await c.login(tenant, user, password);
  return { c, tenantId: body.tenant.id as string };
}

export async function archiveWorld(): Promise<ArchiveWorld> {
  const p = await startTestPlatform();
  const { c: admin, tenantId } = await login(p.baseUrl, 'demo', 'admin', p.demo.password);
  const items: { id: string; name: string; path: string[] }[] = (await admin.get('/api/v1/areas')).body.items;
  const area = Object.fromEntries(items.map((a) => [a.name, { id: a.id, path: a.path }]));
  const op = await loggedIn(p.baseUrl, 'platform', 'operator', p.operator.password);
  const made = await op.post('/api/v1/tenants', {
    code: 'other',
    name: '另一家公司',
    adminUsername: 'boss',
    adminPassword: 'other-password',
  });
  if (made.status !== 201) throw new Error(`tenant: ${JSON.stringify(made.body)}`);
  const { c: other, tenantId: otherTenantId } = await login(p.baseUrl, 'other', 'boss', 'other-password');
  const otherAreaId = (await other.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' }))
    .body.id;
  const below = (ancestorId: string, name: string) => {
    const found = items.find((a) => a.name === name && a.path.includes(ancestorId));
    if (!found) throw new Error(`no ${name} below ${ancestorId}`);
    return found.id;
  };
  return { p, admin, tenantId, area, below, other, otherTenantId, otherAreaId };
}

/** A customer with one account in `areaId` (straight into the tables: the customer routes are another change). */
export async function makeAccount(w: ArchiveWorld, tenantId: string, areaId: string, number: string) {
  return withTenant(w.p.running.platform.db, tenantId, async (tx) => {
    const [c] = await tx
      .insert(customers)
      .values({ tenantId, number: `C-${number}`, name: `户主${number}`, areaId })
      .returning();
    const [a] = await tx.insert(accounts).values({ tenantId, customerId: c.id, number }).returning();
    return a.id;
  });
}

/** A user holding `permissions`, scoped to `areaIds` (empty = the whole tenant), logged in. */
export async function makeUser(w: ArchiveWorld, username: string, permissions: string[], areaIds: string[]) {
  const role = await w.admin.post('/api/v1/roles', { name: `角色-${username}`, permissions });
  if (role.status !== 201) throw new Error(`role: ${JSON.stringify(role.body)}`);
  const user = await w.admin.post('/api/v1/users', {
    username,
    displayName: username,
    password: `${username}-password`,
    roleIds: [role.body.id],
    areaIds,
  });
  if (user.status !== 201) throw new Error(`user: ${JSON.stringify(user.body)}`);
  return loggedIn(w.p.baseUrl, 'demo', username, `${username}-password`);
}

let seq = 0;
/** A valid water meter body (CJ/T 188, 14-digit address) unless overridden. */
export function meterBody(areaId: string, over: Record<string, unknown> = {}) {
  seq++;
  return {
    kind: 'meter-water',
    assetNo: `W-${String(seq).padStart(5, '0')}-${Math.random().toString(36).slice(2, 6)}`,
    commAddress: String(10000000000000 + seq),
    protocol: 'cjt188',
    areaId,
    ...over,
  };
}

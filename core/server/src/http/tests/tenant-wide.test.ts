import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
let admin: Client;
let scoped: Client;
type Role = { id: string; name: string; permissions: string[]; builtin: boolean };
let roles: Role[];
const role = (perm: string, builtin = true) =>
  roles.find((r) => r.builtin === builtin && r.permissions.includes(perm))!;

const scopedPermissions = [
  'areas.read',
  'roles.read',
  'roles.manage',
  'tokens.manage',
  'plugins.read',
  'plugins.manage',
  'meters.read',
  'meters.read-now',
  // the built-in reader (抄表员) role's field-app permissions, so this user holds all of that role
  'meters.control',
  'readings.manual',
  'customers.read',
];

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const building = (await admin.get('/api/v1/areas')).body.items.find(
    (a: { name: string }) => a.name === '1号楼',
  );
  const mine = await admin.post('/api/v1/roles', { name: '楼栋管理', permissions: scopedPermissions });
  expect(mine.status).toBe(201);
  const made = await admin.post('/api/v1/users', {
    username: 'keeper',
    displayName: 'Keeper',
    password: 'keeper-secret-pass',
    roleIds: [mine.body.id],
    areaIds: [building.id],
  });
  expect(made.status).toBe(201);
  scoped = await loggedIn(p.baseUrl, 'demo', 'keeper', 'keeper-secret-pass');
  roles = (await admin.get('/api/v1/roles')).body.items;
});
afterAll(async () => p?.stop());

describe('tenant-wide objects need a whole-tenant scope', () => {
  it('a scoped user cannot edit the built-in admin role', async () => {
    const adminRole = role('payments.refund');
    const r = await scoped.patch(`/api/v1/roles/${adminRole.id}`, { name: 'pwned' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    expect((await scoped.delete(`/api/v1/roles/${adminRole.id}`)).body.error.code).toBe(
      'AUTH_SCOPE_TENANT_WIDE',
    );
    const after = (await admin.get('/api/v1/roles')).body.items.find((x: Role) => x.id === adminRole.id);
    expect(after.name).toBe(adminRole.name);
  });

  it('a scoped user cannot add a permission (even one they hold) to the reader role, nor create roles', async () => {
    const reader = role('meters.read-now');
    expect(reader.permissions.every((k) => scopedPermissions.includes(k))).toBe(true);
    const r = await scoped.patch(`/api/v1/roles/${reader.id}`, {
      permissions: [...reader.permissions, 'roles.manage'],
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    const after = (await admin.get('/api/v1/roles')).body.items.find((x: Role) => x.id === reader.id);
    expect(after.permissions).toEqual(reader.permissions);
    const created = await scoped.post('/api/v1/roles', { name: 'mine', permissions: ['areas.read'] });
    expect(created.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    expect((await admin.get('/api/v1/roles')).body.items).toHaveLength(roles.length);
  });

  it('a whole-tenant role manager cannot edit a role that grants more than they hold', async () => {
    const rm = await admin.post('/api/v1/roles', {
      name: '角色管理',
      permissions: ['roles.read', 'roles.manage'],
    });
    await admin.post('/api/v1/users', {
      username: 'rolesmith',
      displayName: 'R',
      password: 'rolesmith-secret',
      roleIds: [rm.body.id],
      areaIds: [],
    });
    const smith = await loggedIn(p.baseUrl, 'demo', 'rolesmith', 'rolesmith-secret');
    const r = await smith.patch(`/api/v1/roles/${role('payments.refund').id}`, {
      permissions: ['roles.read'],
    });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'AUTH_FORBIDDEN', details: { reason: 'role-holds-more' } });
    // within their own grants they may work
    const own = await smith.post('/api/v1/roles', { name: '只读角色', permissions: ['roles.read'] });
    expect(own.status).toBe(201);
    expect((await smith.patch(`/api/v1/roles/${own.body.id}`, { name: '只读' })).status).toBe(200);
  });

  it('a scoped user lists and revokes only their own tokens', async () => {
    const adminToken = await admin.post('/api/v1/tokens', { name: 'admin-job', scopes: ['areas.read'] });
    const ownToken = await scoped.post('/api/v1/tokens', { name: 'keeper-job', scopes: ['areas.read'] });
    expect(ownToken.status).toBe(201);
    const listed = await scoped.get('/api/v1/tokens');
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([ownToken.body.item.id]);
    expect(listed.body.total).toBe(1);
    const all = await admin.get('/api/v1/tokens');
    expect(all.body.items.map((t: { id: string }) => t.id)).toEqual(
      expect.arrayContaining([adminToken.body.item.id, ownToken.body.item.id]),
    );
    const refused = await scoped.delete(`/api/v1/tokens/${adminToken.body.item.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    const api = new Client(p.baseUrl);
    api.bearer = adminToken.body.token;
    expect((await api.get('/api/v1/areas')).status).toBe(200);
    expect((await scoped.delete(`/api/v1/tokens/${ownToken.body.item.id}`)).status).toBe(204);
    // a whole-tenant manager still revokes anyone's token
    expect((await admin.delete(`/api/v1/tokens/${adminToken.body.item.id}`)).status).toBe(204);
    expect((await api.get('/api/v1/areas')).body.error.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('a scoped user cannot enable a plugin or change its settings', async () => {
    const waterNow = async () =>
      (await admin.get('/api/v1/plugins')).body.items.find((x: { id: string }) => x.id === 'meter-water');
    const before = await waterNow(); // the demo tenant starts with the meter types enabled
    const r = await scoped.put('/api/v1/plugins/meter-water/tenant', {
      enabled: !before.enabled,
      settings: {},
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    expect((await waterNow()).enabled).toBe(before.enabled);
    expect((await admin.get('/api/v1/audit?action=plugins.configure')).body.total).toBe(0);
  });
});

describe('API token expiry', () => {
  it('refuses a token that would already be expired, and stores nothing', async () => {
    const before = (await admin.get('/api/v1/tokens')).body.total;
    const r = await admin.post('/api/v1/tokens', {
      name: 'stale',
      scopes: ['areas.read'],
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('REQ_VALIDATION');
    expect(r.body.error.details).toEqual([{ path: 'expiresAt', message: 'must be in the future' }]);
    expect((await admin.get('/api/v1/tokens')).body.total).toBe(before);
    const future = await admin.post('/api/v1/tokens', {
      name: 'fresh',
      scopes: ['areas.read'],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(201);
  });
});

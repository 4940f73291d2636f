import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
let admin: Client;
let manager: Client;
let adminId: string;
let integratorRole: string;

async function makeUser(username: string, roleIds: string[]) {
  const r = await admin.post('/api/v1/users', {
    username,
    displayName: username,
    password: `${username}-secret-pass`,
    roleIds,
    areaIds: [],
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** A user with a live session and a live API token. */
async function withAccess(username: string) {
  const id = await makeUser(username, [integratorRole]);
  const session = await loggedIn(p.baseUrl, 'demo', username, `${username}-secret-pass`);
  const created = await session.post('/api/v1/tokens', { name: 'job', scopes: ['areas.read'] });
  expect(created.status).toBe(201);
  const api = new Client(p.baseUrl);
  api.bearer = created.body.token;
  expect((await api.get('/api/v1/areas')).status).toBe(200);
  expect((await session.get('/api/v1/auth/me')).status).toBe(200);
  return { id, session, api };
}

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  adminId = (await admin.get('/api/v1/auth/me')).body.user.id;
  const mgrRole = await admin.post('/api/v1/roles', {
    name: '用户管理员',
    permissions: ['users.read', 'users.manage', 'areas.read', 'tokens.manage'],
  });
  integratorRole = (
    await admin.post('/api/v1/roles', { name: '集成', permissions: ['areas.read', 'tokens.manage'] })
  ).body.id;
  await makeUser('manager', [mgrRole.body.id]);
  manager = await loggedIn(p.baseUrl, 'demo', 'manager', 'manager-secret-pass');
});
afterAll(async () => p?.stop());

describe('taking over another account', () => {
  it('refuses a user manager resetting the password of an admin who holds more, and changes nothing', async () => {
    const r = await manager.patch(`/api/v1/users/${adminId}`, { password: 'taken-over-now-1' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    expect(r.body.error.details.reason).toBe('target-holds-more');
    expect(r.body.error.details.beyond).toContain('roles.manage');
    for (const patch of [{ status: 'disabled' }, { roleIds: [] }, { areaIds: [] }]) {
      const refused = await manager.patch(`/api/v1/users/${adminId}`, patch);
      expect(refused.body.error.code, JSON.stringify(patch)).toBe('AUTH_FORBIDDEN');
    }
    expect((await manager.delete(`/api/v1/users/${adminId}`)).body.error.code).toBe('AUTH_FORBIDDEN');
    // nothing changed: the admin's session still works, the old password still logs in, roles intact
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
    const again = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
    const me = (await again.get(`/api/v1/users/${adminId}`)).body;
    expect(me.status).toBe('active');
    expect(me.roleIds).toHaveLength(1);
    expect(
      (
        await new Client(p.baseUrl).post('/api/v1/auth/login', {
          tenant: 'demo',
          username: 'admin',
          password: 'taken-over-now-1',
        })
      ).body.error.code,
    ).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('a user manager scoped to areas cannot even find a whole-tenant user to take over', async () => {
    const building = (await admin.get('/api/v1/areas')).body.items.find(
      (a: { name: string }) => a.name === '1号楼',
    );
    const role = (await admin.get('/api/v1/roles')).body.items.find(
      (r: { name: string }) => r.name === '用户管理员',
    );
    const made = await admin.post('/api/v1/users', {
      username: 'keeper',
      displayName: 'Keeper',
      password: 'keeper-secret-pass',
      roleIds: [role.id],
      areaIds: [building.id],
    });
    expect(made.status).toBe(201);
    const keeper = await loggedIn(p.baseUrl, 'demo', 'keeper', 'keeper-secret-pass');
    const r = await keeper.patch(`/api/v1/users/${adminId}`, { password: 'taken-over-now-2' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
    await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  });

  it('still lets the manager rename a user who holds more (not a takeover)', async () => {
    const r = await manager.patch(`/api/v1/users/${adminId}`, { displayName: '演示管理员' });
    expect(r.status).toBe(200);
  });

  it('an allowed password reset ends the target’s sessions and API tokens', async () => {
    const target = await withAccess('resetme');
    const r = await manager.patch(`/api/v1/users/${target.id}`, { password: 'a-brand-new-pass' });
    expect(r.status).toBe(200);
    expect((await target.session.get('/api/v1/auth/me')).body.error.code).toBe('AUTH_SESSION_INVALID');
    expect((await target.api.get('/api/v1/areas')).body.error.code).toBe('AUTH_TOKEN_INVALID');
    const tokens = (await admin.get('/api/v1/tokens')).body.items;
    expect(tokens.filter((t: { revokedAt: string | null }) => t.revokedAt === null)).toHaveLength(0);
    await loggedIn(p.baseUrl, 'demo', 'resetme', 'a-brand-new-pass');
  });

  it('disabling a user ends their sessions and API tokens; re-enabling does not revive the token', async () => {
    const target = await withAccess('disableme');
    expect((await manager.patch(`/api/v1/users/${target.id}`, { status: 'disabled' })).status).toBe(200);
    expect((await target.session.get('/api/v1/auth/me')).body.error.code).toBe('AUTH_SESSION_INVALID');
    expect((await target.api.get('/api/v1/areas')).body.error.code).toBe('AUTH_TOKEN_INVALID');
    expect((await manager.patch(`/api/v1/users/${target.id}`, { status: 'active' })).status).toBe(200);
    expect((await target.api.get('/api/v1/areas')).body.error.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('deleting a user revokes their API tokens', async () => {
    const target = await withAccess('deleteme');
    expect((await manager.delete(`/api/v1/users/${target.id}`)).status).toBe(204);
    expect((await target.session.get('/api/v1/auth/me')).body.error.code).toBe('AUTH_SESSION_INVALID');
    expect((await target.api.get('/api/v1/areas')).body.error.code).toBe('AUTH_TOKEN_INVALID');
  });
});

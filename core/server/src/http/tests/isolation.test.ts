import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
let a: Client;
let b: Client;
const bIds: Record<string, string> = {};

beforeAll(async () => {
  p = await startTestPlatform();
  const op = await loggedIn(p.baseUrl, 'platform', 'operator', p.operator.password);
  const created = await op.post('/api/v1/tenants', {
    code: 'other',
    name: '另一家公司',
    adminUsername: 'boss',
    adminPassword: 'other-password',
  });
  expect(created.status).toBe(201);
  a = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  b = await loggedIn(p.baseUrl, 'other', 'boss', 'other-password');
  bIds.area = (await b.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body.id;
  bIds.role = (await b.post('/api/v1/roles', { name: 'B角色', permissions: ['areas.read'] })).body.id;
  bIds.user = (
    await b.post('/api/v1/users', {
      username: 'bob',
      displayName: 'Bob',
      password: 'bob-password',
      roleIds: [bIds.role],
      areaIds: [bIds.area],
    })
  ).body.id;
  bIds.token = (await b.post('/api/v1/tokens', { name: 't', scopes: ['areas.read'] })).body.item.id;
});
afterAll(async () => p?.stop());

describe('tenant isolation over HTTP', () => {
  it('lists contain nothing of the other tenant', async () => {
    for (const path of [
      '/api/v1/users',
      '/api/v1/roles',
      '/api/v1/areas',
      '/api/v1/audit',
      '/api/v1/tokens',
      '/api/v1/plugins',
    ]) {
      const r = await a.get(path);
      expect(r.status, path).toBe(200);
      const text = JSON.stringify(r.body);
      for (const id of Object.values(bIds)) expect(text, `${path} leaks ${id}`).not.toContain(id);
    }
  });

  it('detail, change and delete routes answer 404 for the other tenant’s ids and change nothing', async () => {
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/v1/users/${bIds.user}`],
      ['PATCH', `/api/v1/users/${bIds.user}`, { displayName: 'hijacked' }],
      ['DELETE', `/api/v1/users/${bIds.user}`],
      ['PATCH', `/api/v1/roles/${bIds.role}`, { name: 'hijacked' }],
      ['DELETE', `/api/v1/roles/${bIds.role}`],
      ['PATCH', `/api/v1/areas/${bIds.area}`, { name: 'hijacked' }],
      ['DELETE', `/api/v1/areas/${bIds.area}`],
      ['DELETE', `/api/v1/tokens/${bIds.token}`],
    ];
    for (const [method, path, body] of probes) {
      const r = await a.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toMatch(/NOT_FOUND|OUT_OF_SCOPE/);
    }
    const still = await b.get(`/api/v1/users/${bIds.user}`);
    expect(still.body.displayName).toBe('Bob');
    expect((await b.get('/api/v1/areas')).body.items.map((x: { name: string }) => x.name)).toContain('B公司');
    expect((await b.get('/api/v1/roles')).body.items.map((x: { name: string }) => x.name)).toContain('B角色');
  });

  it('cannot attach the other tenant’s areas or roles to its own users', async () => {
    const r1 = await a.post('/api/v1/users', {
      username: 'mallory',
      displayName: 'M',
      password: 'mallory-pw',
      roleIds: [],
      areaIds: [bIds.area],
    });
    expect(r1.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    const r2 = await a.post('/api/v1/users', {
      username: 'mallory',
      displayName: 'M',
      password: 'mallory-pw',
      roleIds: [bIds.role],
      areaIds: [],
    });
    expect(r2.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const r3 = await a.post('/api/v1/areas', { parentId: bIds.area, name: 'inside B', kind: 'building' });
    expect(r3.status).toBe(404);
    const users = await a.get('/api/v1/users?q=mallory');
    expect(users.body.total).toBe(0);
  });

  it('a session of one tenant cannot be replayed as another tenant’s user', async () => {
    const r = await b.request('GET', '/api/v1/users', undefined, { cookie: a.cookie });
    expect(JSON.stringify(r.body)).not.toContain(bIds.user);
  });
});

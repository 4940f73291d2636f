import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
let op: Client;

beforeAll(async () => {
  p = await startTestPlatform();
  op = await loggedIn(p.baseUrl, 'platform', 'operator', p.operator.password);
});
afterAll(async () => p?.stop());

const creates = async () =>
  (await op.get('/api/v1/audit?action=tenants.create&pageSize=200')).body.items as {
    actorType: string;
    actorName: string;
    targetId: string;
  }[];

describe('POST /api/v1/tenants', () => {
  it('records tenants.create once, by the operator, with the tenant in the same transaction', async () => {
    const r = await op.post('/api/v1/tenants', {
      code: 'acme',
      name: 'Acme',
      adminUsername: 'boss',
      adminPassword: 'boss-password',
    });
    expect(r.status).toBe(201);
    const entries = (await creates()).filter((e) => e.targetId === r.body.id);
    expect(entries).toEqual([
      expect.objectContaining({ actorType: 'operator', actorName: expect.any(String) }),
    ]);
    const boss = await loggedIn(p.baseUrl, 'acme', 'boss', 'boss-password');
    expect((await boss.get('/api/v1/roles')).body.items).toHaveLength(3);
  });

  it('two concurrent creates of one code: one 201, one 409 RESOURCE_CONFLICT, one tenant', async () => {
    const body = { code: 'twin', name: 'Twin', adminUsername: 'admin', adminPassword: 'twin-password' };
    const before = (await creates()).length;
    const results = await Promise.all([op.post('/api/v1/tenants', body), op.post('/api/v1/tenants', body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('RESOURCE_CONFLICT');
    const list = (await op.get('/api/v1/tenants')).body.items.filter(
      (t: { code: string }) => t.code === 'twin',
    );
    expect(list).toHaveLength(1);
    expect((await creates()).length).toBe(before + 1);
  });

  it('refuses a NUL byte in the administrator name and creates nothing', async () => {
    const before = (await op.get('/api/v1/tenants')).body.total;
    const r = await op.post('/api/v1/tenants', {
      code: 'nul',
      name: 'Nul',
      adminUsername: 'ad\u0000min',
      adminPassword: 'nul-password',
    });
    expect([r.status, r.body.error.code]).toEqual([400, 'REQ_VALIDATION']);
    expect((await op.get('/api/v1/tenants')).body.total).toBe(before);
  });

  it('refuses an empty PATCH and writes no tenants.update entry', async () => {
    const demo = (await op.get('/api/v1/tenants')).body.items.find(
      (t: { code: string }) => t.code === 'demo',
    );
    const updates = async () => (await op.get('/api/v1/audit?action=tenants.update')).body.total;
    const before = await updates();
    const r = await op.patch(`/api/v1/tenants/${demo.id}`, {});
    expect([r.status, r.body.error.code]).toEqual([400, 'REQ_VALIDATION']);
    expect(await updates()).toBe(before);
  });
});

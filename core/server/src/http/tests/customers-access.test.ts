import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import {
  type Area,
  archiveCounts,
  demoAreas,
  otherTenant,
  tokenClient,
  userWith,
} from './archive-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let b: Client;
let areas: Record<string, Area>;
const bIds: Record<string, string> = {};

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  b = await otherTenant(p);
  bIds.area = (await b.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body.id;
  const customer = await b.post('/api/v1/customers', { name: 'B客户', number: 'B-1', areaId: bIds.area });
  expect(customer.status).toBe(201);
  bIds.customer = customer.body.id;
  bIds.account = (await b.post('/api/v1/accounts', { customerId: bIds.customer, number: 'BA-1' })).body.id;
  const field = await b.post('/api/v1/custom-fields', {
    entity: 'customer',
    key: 'b_only',
    label: { 'zh-CN': 'B', en: 'B' },
    type: 'text',
  });
  expect(field.status).toBe(201);
});
afterAll(async () => p?.stop());

describe('cross-tenant probes', () => {
  it('answers 404 on every customer, account and custom-field route for the other tenant’s ids', async () => {
    const c = `/api/v1/customers/${bIds.customer}`;
    const a = `/api/v1/accounts/${bIds.account}`;
    const probes: [string, string, unknown?][] = [
      ['GET', c],
      ['PATCH', c, { name: 'hijacked' }],
      ['DELETE', c],
      ['GET', `${c}/facts`],
      ['POST', `${c}/facts`, { kind: 'household_size', effectiveFrom: '2024-01-01', value: 2 }],
      ['GET', `${c}/history`],
      ['GET', `${c}/accounts`],
      ['GET', a],
      ['PATCH', a, { readingDay: 9 }],
      ['DELETE', a],
      ['POST', `${a}/billing-modes`, { mode: 'prepaid', effectiveFrom: '2024-01-01' }],
      ['GET', `${a}/history`],
      ['PATCH', '/api/v1/custom-fields/customer/b_only', { required: true }],
      ['DELETE', '/api/v1/custom-fields/customer/b_only'],
      ['POST', '/api/v1/accounts', { customerId: bIds.customer }],
    ];
    const before = await archiveCounts(p);
    for (const [method, path, body] of probes) {
      const r = await admin.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe('RESOURCE_NOT_FOUND');
    }
    const into = await admin.post('/api/v1/customers', { name: 'x', areaId: bIds.area });
    expect(into.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    expect(await archiveCounts(p)).toEqual(before);
    const still = await b.get(c);
    expect(still.body).toMatchObject({ name: 'B客户', number: 'B-1', status: 'active' });
    expect((await b.get(a)).body).toMatchObject({
      number: 'BA-1',
      readingDay: 1,
      billingModes: [{ mode: 'postpaid' }],
    });
    expect((await b.get(`${c}/facts`)).body.items).toEqual([]);
    const fields = (await b.get('/api/v1/custom-fields?entity=customer')).body.items;
    expect(fields).toEqual([expect.objectContaining({ key: 'b_only', required: false })]);
  });

  it('lists contain nothing of the other tenant, and its custom fields do not apply here', async () => {
    for (const path of ['/api/v1/customers', '/api/v1/accounts', '/api/v1/custom-fields?entity=customer']) {
      const text = JSON.stringify((await admin.get(path)).body);
      for (const id of Object.values(bIds)) expect(text, path).not.toContain(id);
      expect(text, path).not.toContain('b_only');
    }
    const r = await admin.post('/api/v1/customers', {
      name: 'x',
      areaId: areas['2号楼'].id,
      custom: { b_only: 'x' },
    });
    expect(r.body.error.code).toBe('CUSTOM_FIELD_INVALID');
  });
});

describe('area scope', () => {
  let keeper: Client;
  let inside: string;
  let outside: string;
  beforeAll(async () => {
    keeper = await userWith(
      p,
      admin,
      'keeper',
      ['areas.read', 'customers.read', 'customers.write', 'customers.pii', 'audit.read'],
      [areas['1号楼'].id],
    );
    inside = (
      await admin.post('/api/v1/customers', { name: '楼内', number: 'S-IN', areaId: areas['1单元'].id })
    ).body.id;
    outside = (
      await admin.post('/api/v1/customers', { name: '楼外', number: 'S-OUT', areaId: areas['3号楼'].id })
    ).body.id;
    await admin.post('/api/v1/accounts', { customerId: outside, number: 'S-OUT-A' });
  });

  it('a user scoped to one building sees only customers and accounts below it', async () => {
    const list = await keeper.get('/api/v1/customers?limit=200');
    expect(list.body.items.map((c: { number: string }) => c.number)).toEqual(['S-IN']);
    expect(list.body.total).toBe(1);
    expect((await keeper.get('/api/v1/accounts')).body.items).toEqual([]);
    const everywhere = await keeper.get(`/api/v1/customers?areaId=${areas['3号楼'].id}`);
    expect(everywhere.body.items).toEqual([]);
    expect((await keeper.get(`/api/v1/customers/${inside}`)).status).toBe(200);
  });

  it('cannot read, change, delete or add facts to a customer in another building', async () => {
    const before = await archiveCounts(p);
    for (const [method, path, body] of [
      ['GET', `/api/v1/customers/${outside}`],
      ['PATCH', `/api/v1/customers/${outside}`, { name: 'x' }],
      ['DELETE', `/api/v1/customers/${outside}`],
      ['GET', `/api/v1/customers/${outside}/history`],
      ['GET', `/api/v1/customers/${outside}/facts`],
      [
        'POST',
        `/api/v1/customers/${outside}/facts`,
        { kind: 'household_size', effectiveFrom: '2024-01-01', value: 2 },
      ],
      ['GET', `/api/v1/customers/${outside}/accounts`],
      ['POST', '/api/v1/accounts', { customerId: outside }],
    ] as [string, string, unknown?][]) {
      const r = await keeper.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect(await archiveCounts(p)).toEqual(before);
    expect((await admin.get(`/api/v1/customers/${outside}`)).body.name).toBe('楼外');
  });

  it('cannot create a customer outside its scope nor move one out of it', async () => {
    const before = await archiveCounts(p);
    const made = await keeper.post('/api/v1/customers', { name: 'x', areaId: areas['3号楼'].id });
    expect(made.status).toBe(404);
    expect(made.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    const moved = await keeper.patch(`/api/v1/customers/${inside}`, { areaId: areas['2号楼'].id });
    expect(moved.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    expect(await archiveCounts(p)).toEqual(before);
    expect((await admin.get(`/api/v1/customers/${inside}`)).body.areaId).toBe(areas['1单元'].id);
    const ok = await keeper.post('/api/v1/customers', { name: '新户', areaId: areas['1单元'].id });
    expect(ok.status).toBe(201);
    // audit entries carry the area path: the scoped user sees those inside its building only
    const audit = await keeper.get('/api/v1/audit?action=customers.create&pageSize=200');
    expect(audit.body.items.map((e: { targetId: string }) => e.targetId)).toEqual([ok.body.id, inside]);
  });

  it('cannot change tenant-wide custom-field definitions', async () => {
    const r = await keeper.post('/api/v1/custom-fields', {
      entity: 'customer',
      key: 'x',
      label: { 'zh-CN': 'x', en: 'x' },
      type: 'text',
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    expect((await admin.get('/api/v1/custom-fields?entity=customer')).body.items).toEqual([]);
  });
});

describe('privileges', () => {
  it('a reader (customers.read only) can list but not write; writes change nothing', async () => {
    const reader = await userWith(p, admin, 'reader1', ['areas.read', 'customers.read']);
    const id = (
      await admin.post('/api/v1/customers', { name: '读者', number: 'R-1', areaId: areas['2号楼'].id })
    ).body.id;
    expect((await reader.get('/api/v1/customers')).status).toBe(200);
    const before = await archiveCounts(p);
    for (const [method, path, body] of [
      ['POST', '/api/v1/customers', { name: 'x', areaId: areas['2号楼'].id }],
      ['PATCH', `/api/v1/customers/${id}`, { name: 'x' }],
      ['DELETE', `/api/v1/customers/${id}`],
      [
        'POST',
        `/api/v1/customers/${id}/facts`,
        { kind: 'household_size', effectiveFrom: '2024-01-01', value: 2 },
      ],
      ['POST', '/api/v1/accounts', { customerId: id }],
      [
        'POST',
        '/api/v1/custom-fields',
        { entity: 'customer', key: 'k', label: { 'zh-CN': 'k', en: 'k' }, type: 'text' },
      ],
    ] as [string, string, unknown][]) {
      const r = await reader.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    }
    expect(await archiveCounts(p)).toEqual(before);
    const nobody = await userWith(p, admin, 'nobody1', ['areas.read']);
    expect((await nobody.get('/api/v1/customers')).body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await nobody.get(`/api/v1/customers/${id}/history`)).body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await nobody.get('/api/v1/custom-fields?entity=customer')).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
  });

  it('meter custom fields need meters.write, customer ones customers.write', async () => {
    const metersOnly = await userWith(p, admin, 'metersonly', ['meters.read', 'meters.write']);
    const field = (entity: string) => ({
      entity,
      key: 'asset_tag',
      label: { 'zh-CN': '资产', en: 'Asset' },
      type: 'text',
    });
    expect((await metersOnly.post('/api/v1/custom-fields', field('meter'))).status).toBe(201);
    expect((await metersOnly.post('/api/v1/custom-fields', field('customer'))).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect((await metersOnly.get('/api/v1/custom-fields?entity=account')).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect((await metersOnly.delete('/api/v1/custom-fields/meter/asset_tag')).status).toBe(204);
  });

  it('API tokens work with their scopes', async () => {
    const sync = await tokenClient(p, admin, ['customers.read', 'customers.write']);
    const made = await sync.post('/api/v1/customers', {
      name: 'CRM同步',
      number: 'CRM-1',
      areaId: areas['2号楼'].id,
    });
    expect(made.status).toBe(201);
    // the token holder has customers.pii, but the token does not: PII is masked
    const withPhone = await sync.patch(`/api/v1/customers/${made.body.id}`, { phone: '13512345678' });
    expect(withPhone.body.phone).toBe('135****5678');
    const ro = await tokenClient(p, admin, ['customers.read']);
    expect((await ro.get('/api/v1/customers?number=CRM-1')).body.items).toHaveLength(1);
    expect(
      (await ro.post('/api/v1/customers', { name: 'x', areaId: areas['2号楼'].id })).body.error.code,
    ).toBe('AUTH_FORBIDDEN');
  });
});

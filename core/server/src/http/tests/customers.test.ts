import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { factOn } from '../../services/archives/customer-facts.ts';
import { type Area, demoAreas, inDemo, userWith } from './archive-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let viewer: Client;
let areas: Record<string, Area>;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  viewer = await userWith(p, admin, 'viewer', ['areas.read', 'customers.read', 'audit.read']);
});
afterAll(async () => p?.stop());

const base = () => ({
  name: '张三',
  type: 'commercial',
  phone: '13812345678',
  idNumber: '350102199001011234',
  address: '阳光花园1号楼1单元101',
  areaId: areas['1单元'].id,
  lowIncome: true,
  tags: ['vip', '老客户'],
  notes: '门口有狗',
});

describe('customers: create, read, change, close, delete', () => {
  it('stores exactly what was sent and numbers by the rule prefix + area code + sequence', async () => {
    const a = await admin.post('/api/v1/customers', { ...base(), numberPrefix: 'W', areaCode: '01' });
    expect(a.status).toBe(201);
    expect(a.body.number).toBe('W01000001');
    const b = await admin.post('/api/v1/customers', {
      ...base(),
      name: '李四',
      numberPrefix: 'W',
      areaCode: '01',
    });
    expect(b.body.number).toBe('W01000002');
    const c = await admin.post('/api/v1/customers', { name: '王五', areaId: areas['2号楼'].id });
    expect(c.body.number).toMatch(/^C\d{6}$/);
    const rows = await inDemo(p, (tx) =>
      tx.execute(sql`select number, name, type, phone, id_number, address, area_id, low_income, tags, notes,
        status, custom from customers where id = ${a.body.id}`),
    );
    expect(rows[0]).toEqual({
      number: 'W01000001',
      name: '张三',
      type: 'commercial',
      phone: '13812345678',
      id_number: '350102199001011234',
      address: '阳光花园1号楼1单元101',
      area_id: areas['1单元'].id,
      low_income: true,
      tags: ['vip', '老客户'],
      notes: '门口有狗',
      status: 'active',
      custom: {},
    });
    expect(a.body).toMatchObject({
      ...base(),
      number: 'W01000001',
      status: 'active',
      areaPath: areas['1单元'].path,
    });
    const dup = await admin.post('/api/v1/customers', { ...base(), number: 'W01000001' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('RESOURCE_CONFLICT');
  });

  it('never hands the same generated number to concurrent creates', async () => {
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        admin.post('/api/v1/customers', { name: `并发${i}`, areaId: areas['2号楼'].id, numberPrefix: 'K' }),
      ),
    );
    expect(made.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(made.map((r) => r.body.number).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `K${String(i + 1).padStart(6, '0')}`),
    );
  });

  it('patches fields, closes, and deletes a customer that holds no accounts', async () => {
    const made = (await admin.post('/api/v1/customers', { ...base(), number: 'P-1' })).body;
    const patched = await admin.patch(`/api/v1/customers/${made.id}`, {
      name: '张三丰',
      phone: null,
      tags: [],
      areaId: areas['3号楼'].id,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: '张三丰', phone: null, tags: [], areaId: areas['3号楼'].id });
    const closed = await admin.patch(`/api/v1/customers/${made.id}`, { status: 'closed' });
    expect(closed.body.status).toBe('closed');
    const got = await admin.get(`/api/v1/customers/${made.id}`);
    expect(got.body).toMatchObject({ number: 'P-1', name: '张三丰', status: 'closed', phone: null });
    const history = (await admin.get(`/api/v1/customers/${made.id}/history`)).body.items;
    expect(history.map((h: { action: string }) => h.action)).toEqual([
      'customers.close',
      'customers.update',
      'customers.create',
    ]);
    expect(history[1].before.name).toBe('张三');
    expect(history[1].after.name).toBe('张三丰');
    expect((await admin.delete(`/api/v1/customers/${made.id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/customers/${made.id}`)).body.error.code).toBe('RESOURCE_NOT_FOUND');
  });
});

describe('PII', () => {
  let id: string;
  beforeAll(async () => {
    id = (await admin.post('/api/v1/customers', { ...base(), number: 'PII-1' })).body.id;
    await admin.patch(`/api/v1/customers/${id}`, { phone: '13900001111' });
  });

  it('is masked for a user without customers.pii in list, detail, history and the audit log', async () => {
    const got = await viewer.get(`/api/v1/customers/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.phone).toBe('139****1111');
    expect(got.body.idNumber).toBe('3501**********1234');
    const list = await viewer.get('/api/v1/customers?number=PII-1');
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].phone).toBe('139****1111');
    expect(list.body.items[0].idNumber).toBe('3501**********1234');
    const history = (await viewer.get(`/api/v1/customers/${id}/history`)).body.items;
    expect(history[0].before.phone).toBe('138****5678');
    expect(history[0].after.phone).toBe('139****1111');
    expect(history[1].after.idNumber).toBe('3501**********1234');
    const audit = await viewer.get('/api/v1/audit?action=customers.update&pageSize=200');
    const everything = JSON.stringify([list.body, got.body, history, audit.body]);
    expect(audit.body.items.length).toBeGreaterThan(0);
    for (const secret of ['13812345678', '13900001111', '350102199001011234'])
      expect(everything).not.toContain(secret);
  });

  it('is shown whole to a user holding customers.pii', async () => {
    const got = await admin.get(`/api/v1/customers/${id}`);
    expect(got.body.phone).toBe('13900001111');
    expect(got.body.idNumber).toBe('350102199001011234');
    const history = (await admin.get(`/api/v1/customers/${id}/history`)).body.items;
    expect(history[0].before.phone).toBe('13812345678');
    const list = await admin.get('/api/v1/customers?number=PII-1');
    expect(list.body.items[0].phone).toBe('13900001111');
  });

  it('lets a user without customers.pii find a phone only by the whole number, not by a fragment', async () => {
    expect((await viewer.get('/api/v1/customers?q=00001111')).body.items).toEqual([]);
    expect((await viewer.get('/api/v1/customers?phone=0000111')).body.items).toEqual([]);
    const whole = await viewer.get('/api/v1/customers?phone=13900001111');
    expect(whole.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(
      (await admin.get('/api/v1/customers?q=00001111')).body.items.map((c: { id: string }) => c.id),
    ).toEqual([id]);
  });
});

describe('effective-dated facts', () => {
  it('answers the value in force on a date, before and after a change', async () => {
    const made = await admin.post('/api/v1/customers', {
      name: '赵六',
      number: 'F-1',
      areaId: areas['2号楼'].id,
      facts: [{ kind: 'household_size', effectiveFrom: '2024-01-01', value: 3 }],
    });
    expect(made.status).toBe(201);
    const id = made.body.id;
    const later = await admin.post(`/api/v1/customers/${id}/facts`, {
      kind: 'household_size',
      effectiveFrom: '2025-06-01',
      value: 5,
    });
    expect(later.status).toBe(201);
    expect(later.body).toEqual({ kind: 'household_size', effectiveFrom: '2025-06-01', value: 5 });
    await admin.post(`/api/v1/customers/${id}/facts`, {
      kind: 'heated_area_m2',
      effectiveFrom: '2024-10-15',
      value: 86.45,
    });
    await admin.post(`/api/v1/customers/${id}/facts`, {
      kind: 'household_size',
      effectiveFrom: '2099-01-01',
      value: 9,
    });
    const on = (kind: 'household_size' | 'heated_area_m2', date: string) =>
      inDemo(p, (tx) => factOn(tx, id, kind, date));
    expect(await on('household_size', '2023-12-31')).toBeNull();
    expect(await on('household_size', '2024-01-01')).toBe(3);
    expect(await on('household_size', '2025-05-31')).toBe(3);
    expect(await on('household_size', '2025-06-01')).toBe(5);
    expect(await on('heated_area_m2', '2024-10-14')).toBeNull();
    expect(await on('heated_area_m2', '2030-01-01')).toBe(86.45);
    const facts = await admin.get(`/api/v1/customers/${id}/facts`);
    expect(facts.body.current).toEqual({ household_size: 5, heated_area_m2: 86.45 });
    expect(facts.body.items).toEqual([
      { kind: 'heated_area_m2', effectiveFrom: '2024-10-15', value: 86.45 },
      { kind: 'household_size', effectiveFrom: '2024-01-01', value: 3 },
      { kind: 'household_size', effectiveFrom: '2025-06-01', value: 5 },
      { kind: 'household_size', effectiveFrom: '2099-01-01', value: 9 },
    ]);
    expect((await admin.get(`/api/v1/customers/${id}`)).body.facts).toEqual(facts.body.current);
    // a second value on the same date corrects the first
    await admin.post(`/api/v1/customers/${id}/facts`, {
      kind: 'household_size',
      effectiveFrom: '2025-06-01',
      value: 4,
    });
    expect(await on('household_size', '2025-07-01')).toBe(4);
  });

  it('refuses values a fact kind cannot hold and writes nothing', async () => {
    const id = (
      await admin.post('/api/v1/customers', { name: '钱七', number: 'F-2', areaId: areas['2号楼'].id })
    ).body.id;
    for (const body of [
      { kind: 'household_size', effectiveFrom: '2024-01-01', value: 2.5 },
      { kind: 'household_size', effectiveFrom: '2024-01-01', value: 0 },
      { kind: 'heated_area_m2', effectiveFrom: '2024-01-01', value: 1e308 },
      { kind: 'heated_area_m2', effectiveFrom: '2024-01-01', value: 12.345 },
      { kind: 'heated_area_m2', effectiveFrom: '2025-02-30', value: 10 },
      { kind: 'rooms', effectiveFrom: '2024-01-01', value: 1 },
      { kind: 'household_size', effectiveFrom: '2024-01-01', value: '3' },
    ]) {
      const r = await admin.post(`/api/v1/customers/${id}/facts`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    expect((await admin.get(`/api/v1/customers/${id}/facts`)).body.items).toEqual([]);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { billingModeOn } from '../../services/archives/accounts.ts';
import { type Area, archiveCounts, demoAreas, inDemo, userWith } from './archive-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let areas: Record<string, Area>;
let customer: { id: string; number: string };

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  customer = (
    await admin.post('/api/v1/customers', { name: '账户主', number: 'AC-1', areaId: areas['1单元'].id })
  ).body;
});
afterAll(async () => p?.stop());

describe('accounts', () => {
  it('opens accounts with exact stored values and numbers them after the customer', async () => {
    const made = await admin.post('/api/v1/accounts', {
      customerId: customer.id,
      billingMode: 'prepaid',
      billingModeFrom: '2024-01-01',
      readingDay: 28,
      billingCycleMonths: 2,
      tariffPlans: { 'meter-water': 'W-RES-2024', 'meter-heat': 'H-AREA' },
      depositFen: '900719925474099312',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      customerId: customer.id,
      customerNumber: 'AC-1',
      number: 'AC-1-01',
      billingMode: 'prepaid',
      readingDay: 28,
      billingCycleMonths: 2,
      tariffPlans: { 'meter-water': 'W-RES-2024', 'meter-heat': 'H-AREA' },
      depositFen: '900719925474099312',
      status: 'active',
      areaPath: areas['1单元'].path,
    });
    const [row] = await inDemo(p, (tx) =>
      tx.execute(sql`select number, reading_day, billing_cycle_months, tariff_plans, deposit_fen::text as deposit,
        status, custom from accounts where id = ${made.body.id}`),
    );
    expect(row).toEqual({
      number: 'AC-1-01',
      reading_day: 28,
      billing_cycle_months: 2,
      tariff_plans: { 'meter-water': 'W-RES-2024', 'meter-heat': 'H-AREA' },
      deposit: '900719925474099312',
      status: 'active',
      custom: {},
    });
    const second = await admin.post(`/api/v1/accounts`, { customerId: customer.id, depositFen: 5000 });
    expect(second.body).toMatchObject({
      number: 'AC-1-02',
      depositFen: '5000',
      billingMode: 'postpaid',
      readingDay: 1,
    });
    const named = await admin.post(`/api/v1/accounts`, { customerId: customer.id, number: 'ACC-X' });
    expect(named.body.number).toBe('ACC-X');
    const dup = await admin.post(`/api/v1/accounts`, { customerId: customer.id, number: 'ACC-X' });
    expect(dup.body.error.code).toBe('RESOURCE_CONFLICT');
    const listed = await admin.get(`/api/v1/customers/${customer.id}/accounts`);
    expect(listed.body.items.map((a: { number: string }) => a.number)).toEqual([
      'AC-1-01',
      'AC-1-02',
      'ACC-X',
    ]);
    expect(listed.body.total).toBe(3);
  });

  it('switches billing mode from a date on and answers the mode in force on any date', async () => {
    const acct = (
      await admin.post('/api/v1/accounts', { customerId: customer.id, billingModeFrom: '2024-01-01' })
    ).body;
    const switched = await admin.post(`/api/v1/accounts/${acct.id}/billing-modes`, {
      mode: 'prepaid',
      effectiveFrom: '2025-03-01',
    });
    expect(switched.status).toBe(201);
    expect(switched.body.billingModes).toEqual([
      { effectiveFrom: '2024-01-01', mode: 'postpaid' },
      { effectiveFrom: '2025-03-01', mode: 'prepaid' },
    ]);
    const on = (date: string) => inDemo(p, (tx) => billingModeOn(tx, acct.id, date));
    expect(await on('2023-12-31')).toBeNull();
    expect(await on('2024-01-01')).toBe('postpaid');
    expect(await on('2025-02-28')).toBe('postpaid');
    expect(await on('2025-03-01')).toBe('prepaid');
    expect((await admin.get(`/api/v1/accounts/${acct.id}`)).body.billingMode).toBe('prepaid');
    const history = (await admin.get(`/api/v1/accounts/${acct.id}/history`)).body.items;
    expect(history.map((h: { action: string }) => h.action)).toEqual([
      'accounts.billing-mode',
      'accounts.create',
    ]);
  });

  it('patches, closes and deletes; a customer with accounts cannot be deleted', async () => {
    const acct = (await admin.post('/api/v1/accounts', { customerId: customer.id, number: 'ACC-P' })).body;
    const patched = await admin.patch(`/api/v1/accounts/${acct.id}`, {
      readingDay: 15,
      depositFen: '12345',
      tariffPlans: { 'meter-gas': 'G1' },
      status: 'closed',
    });
    expect(patched.body).toMatchObject({
      readingDay: 15,
      depositFen: '12345',
      tariffPlans: { 'meter-gas': 'G1' },
      status: 'closed',
    });
    expect(
      (await admin.get(`/api/v1/accounts?status=closed`)).body.items.map((a: { id: string }) => a.id),
    ).toEqual([acct.id]);
    const refused = await admin.delete(`/api/v1/customers/${customer.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CUSTOMER_HAS_ACCOUNTS');
    expect((await admin.delete(`/api/v1/accounts/${acct.id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/accounts/${acct.id}`)).body.error.code).toBe('RESOURCE_NOT_FOUND');
  });

  it('keyset pagination over accounts returns every row once', async () => {
    const owner = (
      await admin.post('/api/v1/customers', { name: '多户', number: 'PG', areaId: areas['2号楼'].id })
    ).body;
    for (let i = 0; i < 11; i++) await admin.post('/api/v1/accounts', { customerId: owner.id });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const r = await admin.get(
        `/api/v1/accounts?customerId=${owner.id}&limit=3${after ? `&after=${after}` : ''}`,
      );
      expect(r.body.total).toBe(11);
      seen.push(...r.body.items.map((a: { number: string }) => a.number));
      after = r.body.next;
    } while (after);
    expect(seen).toEqual(Array.from({ length: 11 }, (_, i) => `PG-${String(i + 1).padStart(2, '0')}`));
  });

  it('refuses bad input with stable codes and writes nothing', async () => {
    const acct = (await admin.post('/api/v1/accounts', { customerId: customer.id, number: 'ACC-B' })).body;
    const before = await archiveCounts(p);
    for (const [body, code] of [
      [{}, 'REQ_VALIDATION'],
      [{ customerId: customer.id, depositFen: 1.5 }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, depositFen: '1e3' }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, depositFen: -1 }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, depositFen: '9999999999999999999' }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, depositFen: 2 ** 60 }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, readingDay: 29 }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, readingDay: 2 ** 40 }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, billingCycleMonths: 0 }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, billingMode: 'free' }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, billingModeFrom: '2024-02-30' }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, tariffPlans: { 'meter-water': 5 } }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, tariffPlans: { 'Meter Water': 'x' } }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, number: 'a\u0000' }, 'REQ_VALIDATION'],
      [{ customerId: customer.id, custom: { nosuch: 1 } }, 'CUSTOM_FIELD_INVALID'],
      [{ customerId: '00000000-0000-4000-8000-000000000000' }, 'RESOURCE_NOT_FOUND'],
    ] as [object, string][]) {
      const r = await admin.post('/api/v1/accounts', body);
      expect(r.body.error?.code, JSON.stringify(body)).toBe(code);
    }
    expect((await admin.patch(`/api/v1/accounts/${acct.id}`, {})).body.error.code).toBe('REQ_VALIDATION');
    expect(
      (await admin.patch(`/api/v1/accounts/${acct.id}`, { customerId: customer.id })).body.error.code,
    ).toBe('REQ_VALIDATION');
    expect(
      (
        await admin.post(`/api/v1/accounts/${acct.id}/billing-modes`, {
          mode: 'prepaid',
          effectiveFrom: 'soon',
        })
      ).body.error.code,
    ).toBe('REQ_VALIDATION');
    expect(await archiveCounts(p)).toEqual(before);
  });

  it('inherits its customer’s area for scope, and needs customers.write to change', async () => {
    const outsideOwner = (
      await admin.post('/api/v1/customers', { name: '外', number: 'OUT', areaId: areas['3号楼'].id })
    ).body;
    const outside = (await admin.post('/api/v1/accounts', { customerId: outsideOwner.id })).body;
    const keeper = await userWith(
      p,
      admin,
      'keeper',
      ['areas.read', 'customers.read', 'customers.write'],
      [areas['1号楼'].id],
    );
    const mine = (await keeper.get('/api/v1/accounts?limit=200')).body.items;
    expect(mine.length).toBeGreaterThan(0);
    for (const a of mine) expect(a.areaPath).toContain(areas['1号楼'].id);
    const reader = await userWith(p, admin, 'reader2', ['customers.read']);
    const before = await archiveCounts(p);
    for (const [method, path, body] of [
      ['GET', `/api/v1/accounts/${outside.id}`],
      ['PATCH', `/api/v1/accounts/${outside.id}`, { readingDay: 5 }],
      ['DELETE', `/api/v1/accounts/${outside.id}`],
      [
        'POST',
        `/api/v1/accounts/${outside.id}/billing-modes`,
        { mode: 'prepaid', effectiveFrom: '2024-01-01' },
      ],
      ['GET', `/api/v1/accounts/${outside.id}/history`],
    ] as [string, string, unknown?][]) {
      const r = await keeper.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await reader.get(`/api/v1/accounts/${outside.id}`)).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/api/v1/accounts', { customerId: outsideOwner.id }],
      ['PATCH', `/api/v1/accounts/${outside.id}`, { readingDay: 5 }],
      ['DELETE', `/api/v1/accounts/${outside.id}`],
      [
        'POST',
        `/api/v1/accounts/${outside.id}/billing-modes`,
        { mode: 'prepaid', effectiveFrom: '2024-01-01' },
      ],
    ] as [string, string, unknown][]) {
      expect((await reader.request(method, path, body)).body.error.code, `${method} ${path}`).toBe(
        'AUTH_FORBIDDEN',
      );
    }
    expect(await archiveCounts(p)).toEqual(before);
    expect((await admin.get(`/api/v1/accounts/${outside.id}`)).body.readingDay).toBe(1);
  });
});

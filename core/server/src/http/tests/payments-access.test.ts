import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { type Area, demoAreas, otherTenant, userWith } from './archive-fixtures.ts';
import { customerWithAccount, key, moneyCounts } from './payment-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let b: Client;
let areas: Record<string, Area>;
const a: Record<string, string> = {};
const bIds: Record<string, string> = {};

/** Takes a cash payment with `c` (whose shift is open) and returns its id. */
async function pay(c: Client, accountId: string, amountFen = 500): Promise<string> {
  const r = await c.post('/api/v1/payments', {
    accountId,
    method: 'cash',
    amountFen,
    tenderedFen: amountFen,
    idempotencyKey: key(),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  const inside = await customerWithAccount(admin, areas['1单元'].id, 'IN', '13900001111');
  a.account = inside.accountId;
  expect((await admin.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
  a.shift = (await admin.get('/api/v1/cashier-shifts/current')).body.shift.id;
  a.payment = await pay(admin, a.account);
  a.other = await pay(admin, a.account, 700);
  a.reversal = (
    await admin.post(`/api/v1/payments/${a.other}/reversal-requests`, { reason: '测试' })
  ).body.id;

  b = await otherTenant(p);
  const bArea = (await b.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body.id;
  const bAcct = await customerWithAccount(b, bArea, 'B1', '13700002222');
  bIds.account = bAcct.accountId;
  bIds.shift = (await b.post('/api/v1/cashier-shifts', { openingFloatFen: 100 })).body.id;
  bIds.payment = await pay(b, bIds.account);
  bIds.pending = await pay(b, bIds.account, 900);
  bIds.reversal = (
    await b.post(`/api/v1/payments/${bIds.pending}/reversal-requests`, { reason: 'B' })
  ).body.id;
});
afterAll(async () => p?.stop());

describe('cross-tenant probes', () => {
  it('answers 404 on every payment, reversal and shift route for the other tenant’s ids, writing nothing', async () => {
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/v1/payments/${bIds.payment}`],
      ['GET', `/api/v1/payments/${bIds.payment}/receipt`],
      ['POST', `/api/v1/payments/${bIds.payment}/reversal-requests`, { reason: 'x' }],
      ['POST', `/api/v1/payment-reversals/${bIds.reversal}/approve`, {}],
      ['POST', `/api/v1/payment-reversals/${bIds.reversal}/reject`, {}],
      ['POST', `/api/v1/cashier-shifts/${bIds.shift}/close`, { countedCashFen: 0 }],
      [
        'POST',
        '/api/v1/payments',
        { accountId: bIds.account, method: 'cash', amountFen: 1, idempotencyKey: key() },
      ],
    ];
    const before = await moneyCounts(p);
    for (const [method, path, body] of probes) {
      const r = await admin.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe('RESOURCE_NOT_FOUND');
    }
    expect(await moneyCounts(p)).toEqual(before);
    const look = await admin.get('/api/v1/counter/lookup?q=PA-B1');
    expect(look.body.items).toEqual([]);
    const listed = (await admin.get('/api/v1/payments')).body.items.map((x: { id: string }) => x.id);
    expect(listed).not.toContain(bIds.payment);
    const revs = (await admin.get('/api/v1/payment-reversals')).body.items.map((x: { id: string }) => x.id);
    expect(revs).toEqual([a.reversal]);
    expect((await b.get(`/api/v1/payments/${bIds.pending}`)).body.status).toBe('reversal_requested');
  });
});

describe('area scope', () => {
  it('a user scoped to another building sees and acts on none of these payments', async () => {
    const outsider = await userWith(
      p,
      admin,
      'cashier-b2',
      ['payments.collect', 'payments.read', 'payments.reverse.approve', 'customers.read'],
      [areas['2号楼'].id],
    );
    expect((await outsider.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
    const before = await moneyCounts(p);
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/v1/payments/${a.payment}`],
      ['GET', `/api/v1/payments/${a.payment}/receipt`],
      ['POST', `/api/v1/payments/${a.payment}/reversal-requests`, { reason: 'x' }],
      ['POST', `/api/v1/payment-reversals/${a.reversal}/approve`, {}],
      ['POST', `/api/v1/payment-reversals/${a.reversal}/reject`, {}],
      ['POST', `/api/v1/cashier-shifts/${a.shift}/close`, { countedCashFen: 0 }],
      [
        'POST',
        '/api/v1/payments',
        { accountId: a.account, method: 'cash', amountFen: 1, idempotencyKey: key() },
      ],
    ];
    for (const [method, path, body] of probes) {
      const r = await outsider.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe('RESOURCE_NOT_FOUND');
    }
    expect(await moneyCounts(p)).toEqual(before);
    expect((await outsider.get('/api/v1/counter/lookup?q=PA-IN')).body.items).toEqual([]);
    expect((await outsider.get('/api/v1/counter/lookup?q=13900001111')).body.items).toEqual([]);
    expect((await outsider.get('/api/v1/payments')).body.items).toEqual([]);
    expect((await outsider.get('/api/v1/payment-reversals')).body.items).toEqual([]);
    // an area-scoped user sees only their own shifts, never the tenant's takings
    const shifts = (await outsider.get('/api/v1/cashier-shifts')).body.items;
    expect(shifts.map((s: { cashierName: string }) => s.cashierName)).toEqual(['cashier-b2']);
  });
});

describe('privileges', () => {
  it('answers 403 AUTH_FORBIDDEN without the permission, and a collector cannot approve', async () => {
    const reader = await userWith(p, admin, 'pay-reader', ['payments.read']);
    const collector = await userWith(p, admin, 'pay-collector', ['payments.collect', 'customers.read']);
    const nobody = await userWith(p, admin, 'pay-nobody', ['customers.read']);
    const before = await moneyCounts(p);
    const cases: [Client, string, string, unknown?][] = [
      [
        reader,
        'POST',
        '/api/v1/payments',
        { accountId: a.account, method: 'cash', amountFen: 1, idempotencyKey: key() },
      ],
      [reader, 'POST', '/api/v1/cashier-shifts', { openingFloatFen: 0 }],
      [reader, 'GET', '/api/v1/counter/lookup?q=PA-IN'],
      [reader, 'POST', `/api/v1/payments/${a.payment}/reversal-requests`, { reason: 'x' }],
      [reader, 'POST', `/api/v1/payment-reversals/${a.reversal}/approve`, {}],
      [collector, 'POST', `/api/v1/payment-reversals/${a.reversal}/approve`, {}],
      [collector, 'POST', `/api/v1/payment-reversals/${a.reversal}/reject`, {}],
      [collector, 'GET', '/api/v1/payments'],
      [collector, 'GET', `/api/v1/payments/${a.payment}/receipt`],
      [nobody, 'GET', '/api/v1/payments'],
      [nobody, 'GET', '/api/v1/cashier-shifts/current'],
      [nobody, 'GET', '/api/v1/payment-reversals'],
    ];
    for (const [c, method, path, body] of cases) {
      const r = await c.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code, `${method} ${path}`).toBe('AUTH_FORBIDDEN');
    }
    expect(await moneyCounts(p)).toEqual(before);
  });

  it('a cashier cannot close another cashier’s shift', async () => {
    const other = await userWith(p, admin, 'pay-second', ['payments.collect']);
    const before = await moneyCounts(p);
    const r = await other.post(`/api/v1/cashier-shifts/${a.shift}/close`, { countedCashFen: 0 });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect(await moneyCounts(p)).toEqual(before);
  });
});

describe('bad input', () => {
  it('answers REQ_VALIDATION for wrong types, NUL bytes, huge values, empty bodies and unknown fields', async () => {
    const ok = {
      accountId: a.account,
      method: 'cash',
      amountFen: 100,
      tenderedFen: 100,
      idempotencyKey: key(),
    };
    const bodies: [string, string, unknown][] = [
      ['POST', '/api/v1/payments', {}],
      ['POST', '/api/v1/payments', { ...ok, amountFen: 0 }],
      ['POST', '/api/v1/payments', { ...ok, amountFen: -100 }],
      ['POST', '/api/v1/payments', { ...ok, amountFen: 1.5 }],
      ['POST', '/api/v1/payments', { ...ok, amountFen: '12.30' }],
      ['POST', '/api/v1/payments', { ...ok, amountFen: 1e20 }],
      ['POST', '/api/v1/payments', { ...ok, amountFen: '999999999999999999' }],
      ['POST', '/api/v1/payments', { ...ok, amountFen: 100000000001 }],
      ['POST', '/api/v1/payments', { ...ok, tenderedFen: 100.5 }],
      ['POST', '/api/v1/payments', { ...ok, accountId: 'not-a-uuid' }],
      ['POST', '/api/v1/payments', { ...ok, method: 'cheque' }],
      ['POST', '/api/v1/payments', { ...ok, note: 'a\u0000b' }],
      ['POST', '/api/v1/payments', { ...ok, idempotencyKey: 'k\u0000-12345678' }],
      ['POST', '/api/v1/payments', { ...ok, idempotencyKey: 'short' }],
      ['POST', '/api/v1/payments', { ...ok, terminalRef: 'T-1' }],
      ['POST', '/api/v1/payments', { ...ok, method: 'card', tenderedFen: 200, terminalRef: 'T-1' }],
      ['POST', '/api/v1/payments', { ...ok, extra: true }],
      ['POST', '/api/v1/cashier-shifts', { openingFloatFen: -1 }],
      ['POST', '/api/v1/cashier-shifts', { openingFloatFen: 0, cashier: 'someone' }],
      ['POST', `/api/v1/cashier-shifts/${a.shift}/close`, {}],
      ['POST', `/api/v1/cashier-shifts/${a.shift}/close`, { countedCashFen: 'lots' }],
      ['POST', `/api/v1/cashier-shifts/${a.shift}/close`, { countedCashFen: 0, handedOverTo: 'x\u0000' }],
      ['POST', `/api/v1/payments/${a.payment}/reversal-requests`, {}],
      ['POST', `/api/v1/payments/${a.payment}/reversal-requests`, { reason: '   ' }],
      ['POST', `/api/v1/payments/${a.payment}/reversal-requests`, { reason: 'x'.repeat(501) }],
      ['POST', `/api/v1/payments/${a.payment}/reversal-requests`, { reason: 'ok', by: 'me' }],
      ['POST', `/api/v1/payment-reversals/${a.reversal}/approve`, { note: 1 }],
      ['POST', '/api/v1/payments/not-a-uuid/reversal-requests', { reason: 'x' }],
      ['GET', '/api/v1/counter/lookup', undefined],
      ['GET', '/api/v1/counter/lookup?q=%00abc', undefined],
      ['GET', `/api/v1/counter/lookup?q=${'9'.repeat(65)}`, undefined],
      ['GET', '/api/v1/payments?limit=100000', undefined],
      ['GET', '/api/v1/payments?from=yesterday', undefined],
      ['GET', '/api/v1/payments/not-a-uuid', undefined],
    ];
    const before = await moneyCounts(p);
    for (const [method, path, body] of bodies) {
      const r = await admin.request(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error.code, `${method} ${path} ${JSON.stringify(body)}`).toBe('REQ_VALIDATION');
    }
    const notJson = await admin.request('POST', '/api/v1/payments', '{"amountFen":');
    expect(notJson.body.error.code).toBe('REQ_JSON_MALFORMED');
    expect(await moneyCounts(p)).toEqual(before);
  });
});

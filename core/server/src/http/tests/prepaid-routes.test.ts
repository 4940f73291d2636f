import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { type Area, demoAreas, otherTenant, userWith } from './archive-fixtures.ts';
import { key } from './payment-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let other: Client;
let viewer: Client;
let scopedManager: Client;
let areas: Record<string, Area>;
const ids: Record<string, string> = {};

const level = {
  alarm1Fen: 5000,
  alarm2Fen: 2000,
  overdraftLimitFen: 0,
  cutDelayMinutes: 30,
  reconnectThresholdFen: 1000,
  hoardingLimitFen: 20000,
  nightProtect: true,
  nightStart: '22:00',
  nightEnd: '08:00',
  weekendProtect: false,
  holidayProtect: true,
};
const inherit = Object.fromEntries(Object.keys(level).map((k) => [k, null]));

async function account(c: Client, areaId: string, n: string, billingMode = 'prepaid') {
  const cu = await c.post('/api/v1/customers', { name: `预付户${n}`, number: `PP-${n}`, areaId });
  expect(cu.status, JSON.stringify(cu.body)).toBe(201);
  const a = await c.post('/api/v1/accounts', {
    customerId: cu.body.id,
    number: `PPA-${n}`,
    billingMode,
    billingModeFrom: '2020-01-01',
  });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return a.body.id as string;
}

/** Rows of the prepaid tables and payments over all tenants: a refused request writes none. */
async function prepaidCounts() {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from prepaid_policies)::int as policies,
      (select count(*) from prepaid_groups)::int as groups, (select count(*) from prepaid_holidays)::int as holidays,
      (select count(*) from prepaid_accounts where keep_power)::int as "keepPower",
      (select count(*) from prepaid_accounts where group_id is not null)::int as grouped,
      (select count(*) from prepaid_events)::int as events, (select count(*) from payments)::int as payments,
      (select count(*) from ledger_entries)::int as entries`),
  );
  return row;
}

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  ids.a = await account(admin, areas['1单元'].id, 'A');
  ids.b = await account(admin, areas['3号楼'].id, 'B');
  ids.post = await account(admin, areas['1单元'].id, 'POST', 'postpaid');
  other = await otherTenant(p);
  viewer = await userWith(p, admin, 'pp-view', ['billing.read', 'customers.read']);
  scopedManager = await userWith(p, admin, 'pp-mgr', ['billing.read', 'prepaid.manage'], [areas['3号楼'].id]);
  expect((await admin.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
});
afterAll(async () => p?.stop());

describe('prepaid routes', () => {
  it('set the tenant policy, refuse a counter top-up above the hoarding limit and react to a payment', async () => {
    const put = await admin.put('/api/v1/prepaid/policy', level);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.effective).toMatchObject({ alarm1Fen: 5000, hoardingLimitFen: 20000 });
    const before = await prepaidCounts();
    const over = await admin.post('/api/v1/payments', {
      accountId: ids.a,
      method: 'cash',
      amountFen: 20001,
      tenderedFen: 20001,
      idempotencyKey: key(),
    });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('PREPAID_HOARDING_LIMIT');
    expect(await prepaidCounts()).toEqual(before);
    const paid = await admin.post('/api/v1/payments', {
      accountId: ids.a,
      method: 'cash',
      amountFen: 3000,
      tenderedFen: 3000,
      idempotencyKey: key(),
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    // the posting marked the account by trigger; the worker (woken by NOTIFY) evaluates it
    const panel = await waitFor(
      () => admin.get(`/api/v1/prepaid/accounts/${ids.a}`),
      (r) => r.body.state === 'alarm1',
    );
    expect(panel.body).toMatchObject({ prepaid: true, balanceFen: 3000, state: 'alarm1', keepPower: false });
    expect(panel.body.notices.map((n: { notice: string }) => n.notice)).toEqual(['low-balance-1']);
    const board = await admin.get('/api/v1/prepaid/board');
    expect(board.body.totals.alarm1).toBe(1);
    const list = await admin.get('/api/v1/prepaid/accounts?state=alarm1');
    expect(list.body.items.map((i: { accountId: string }) => i.accountId)).toEqual([ids.a]);
  });

  it('two cashiers topping up at once cannot together pass the hoarding limit', async () => {
    const acct = await account(admin, areas['1单元'].id, 'RACE');
    const cashiers = await Promise.all(
      ['pp-c1', 'pp-c2'].map((u) =>
        userWith(p, admin, u, ['customers.read', 'payments.read', 'payments.collect']),
      ),
    );
    for (const c of cashiers)
      expect((await c.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
    const pay = (c: Client) =>
      c.post('/api/v1/payments', {
        accountId: acct,
        method: 'cash',
        amountFen: 12000,
        tenderedFen: 12000,
        idempotencyKey: key(),
      });
    const answers = await Promise.all(cashiers.map(pay));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(answers.find((r) => r.status === 422)?.body.error.code).toBe('PREPAID_HOARDING_LIMIT');
    const panel = await admin.get(`/api/v1/prepaid/accounts/${acct}`);
    expect(panel.body.balanceFen).toBe(12000);
  });

  it('switch keep-power, policy groups, account overrides and the holiday calendar', async () => {
    const on = await admin.put(`/api/v1/prepaid/accounts/${ids.a}/keep-power`, { on: true });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(on.body.keepPower).toBe(true);
    expect(on.body.events[0].kind).toBe('keep-power-on');
    const g = await admin.post('/api/v1/prepaid/groups', {
      name: '商铺',
      policy: { ...inherit, alarm1Fen: 8000 },
    });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    ids.group = g.body.id;
    const assigned = await admin.put(`/api/v1/prepaid/accounts/${ids.a}/group`, { groupId: g.body.id });
    expect(assigned.body.policy.alarm1Fen).toBe(8000);
    const own = await admin.put(`/api/v1/prepaid/accounts/${ids.a}/policy`, { ...inherit, alarm2Fen: 4000 });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.effective).toMatchObject({ alarm1Fen: 8000, alarm2Fen: 4000, hoardingLimitFen: 20000 });
    const days = [
      { day: '2027-01-01', kind: 'holiday', name: '元旦' },
      { day: '2027-02-07', kind: 'workday', name: '调休' },
    ];
    const h = await admin.put('/api/v1/prepaid/holidays/2027', { days });
    expect(h.status, JSON.stringify(h.body)).toBe(200);
    expect((await admin.get('/api/v1/prepaid/holidays/2027')).body.days).toEqual(days);
    expect((await admin.post(`/api/v1/prepaid/accounts/${ids.a}/retry`, {})).body.error.code).toBe(
      'PREPAID_NOTHING_TO_RETRY',
    );
    const notPrepaid = await admin.put(`/api/v1/prepaid/accounts/${ids.post}/keep-power`, { on: true });
    expect(notPrepaid.status).toBe(409);
    expect(notPrepaid.body.error.code).toBe('PREPAID_NOT_PREPAID');
  });

  it('answer 404 to another tenant and change nothing', async () => {
    const before = await prepaidCounts();
    const probes = [
      other.get(`/api/v1/prepaid/accounts/${ids.a}`),
      other.put(`/api/v1/prepaid/accounts/${ids.a}/keep-power`, { on: false }),
      other.post(`/api/v1/prepaid/accounts/${ids.a}/retry`, {}),
      other.put(`/api/v1/prepaid/accounts/${ids.a}/group`, { groupId: null }),
      other.put(`/api/v1/prepaid/accounts/${ids.a}/policy`, inherit),
      other.delete(`/api/v1/prepaid/accounts/${ids.a}/policy`),
      other.get(`/api/v1/prepaid/accounts/${ids.a}/policy`),
      other.put(`/api/v1/prepaid/groups/${ids.group}`, { name: 'mine', policy: inherit }),
      other.delete(`/api/v1/prepaid/groups/${ids.group}`),
    ];
    for (const r of await Promise.all(probes)) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await other.get('/api/v1/prepaid/board')).body.totals).toEqual({});
    expect((await other.get('/api/v1/prepaid/accounts')).body.items).toEqual([]);
    expect((await other.get('/api/v1/prepaid/groups')).body.items).toEqual([]);
    expect((await other.get('/api/v1/prepaid/holidays/2027')).body.days).toEqual([]);
    expect((await other.get('/api/v1/prepaid/policy')).body.stored).toBeNull();
    expect(await prepaidCounts()).toEqual(before);
  });

  it('keep a user to their areas', async () => {
    const before = await prepaidCounts();
    expect((await scopedManager.get(`/api/v1/prepaid/accounts/${ids.a}`)).status).toBe(404);
    const keep = await scopedManager.put(`/api/v1/prepaid/accounts/${ids.a}/keep-power`, { on: false });
    expect(keep.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect((await scopedManager.get('/api/v1/prepaid/board')).body.totals.alarm1).toBeUndefined();
    expect((await scopedManager.get('/api/v1/prepaid/accounts?state=alarm1')).body.items).toEqual([]);
    // their own area's account they may switch
    const own = await scopedManager.put(`/api/v1/prepaid/accounts/${ids.b}/keep-power`, { on: true });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const after = await prepaidCounts();
    expect(after.keepPower).toBe(Number(before.keepPower) + 1);
    await scopedManager.put(`/api/v1/prepaid/accounts/${ids.b}/keep-power`, { on: false });
  });

  it('refuse without the permission, and tenant settings to area-scoped users', async () => {
    const before = await prepaidCounts();
    const r1 = await viewer.put(`/api/v1/prepaid/accounts/${ids.a}/keep-power`, { on: false });
    expect(r1.status).toBe(403);
    expect(r1.body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await viewer.put('/api/v1/prepaid/policy', level)).body.error.code).toBe('AUTH_FORBIDDEN');
    expect(
      (await viewer.post('/api/v1/prepaid/groups', { name: 'x', policy: inherit })).body.error.code,
    ).toBe('AUTH_FORBIDDEN');
    expect((await viewer.post(`/api/v1/prepaid/accounts/${ids.a}/retry`, {})).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    for (const r of [
      await scopedManager.put('/api/v1/prepaid/policy', level),
      await scopedManager.post('/api/v1/prepaid/groups', { name: 'y', policy: inherit }),
      await scopedManager.put('/api/v1/prepaid/holidays/2027', { days: [] }),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    }
    // the viewer reads
    expect((await viewer.get(`/api/v1/prepaid/accounts/${ids.a}`)).status).toBe(200);
    expect(await prepaidCounts()).toEqual(before);
  });

  it('answer stable 4xx codes to bad input and write nothing', async () => {
    const before = await prepaidCounts();
    const bad: [string, string, unknown][] = [
      ['put', '/api/v1/prepaid/policy', {}],
      ['put', '/api/v1/prepaid/policy', { ...level, alarm1Fen: '5000' }],
      ['put', '/api/v1/prepaid/policy', { ...level, alarm1Fen: 1e15 }],
      ['put', '/api/v1/prepaid/policy', { ...level, alarm1Fen: 1.5 }],
      ['put', '/api/v1/prepaid/policy', { ...level, overdraftLimitFen: -1 }],
      ['put', '/api/v1/prepaid/policy', { ...level, nightStart: '24:00' }],
      ['put', '/api/v1/prepaid/policy', { ...level, extra: 1 }],
      ['post', '/api/v1/prepaid/groups', { name: 'a\u0000b', policy: inherit }],
      ['post', '/api/v1/prepaid/groups', { name: '   ', policy: inherit }],
      ['post', '/api/v1/prepaid/groups', { name: 'x'.repeat(101), policy: inherit }],
      ['post', '/api/v1/prepaid/groups', { name: 'n' }],
      ['put', `/api/v1/prepaid/accounts/${ids.a}/keep-power`, { on: 'yes' }],
      ['put', `/api/v1/prepaid/accounts/${ids.a}/keep-power`, {}],
      ['put', `/api/v1/prepaid/accounts/${ids.a}/group`, { groupId: 'not-a-uuid' }],
      ['put', '/api/v1/prepaid/accounts/not-a-uuid/keep-power', { on: true }],
      ['put', '/api/v1/prepaid/holidays/2027', { days: [{ day: '2028-01-01', kind: 'holiday', name: '' }] }],
      ['put', '/api/v1/prepaid/holidays/2027', { days: [{ day: '2027-02-30', kind: 'holiday', name: '' }] }],
      ['put', '/api/v1/prepaid/holidays/2027', { days: [{ day: '2027-01-01', kind: 'party', name: '' }] }],
      [
        'put',
        '/api/v1/prepaid/holidays/2027',
        {
          days: [
            { day: '2027-01-01', kind: 'holiday', name: '' },
            { day: '2027-01-01', kind: 'workday', name: '' },
          ],
        },
      ],
      ['put', '/api/v1/prepaid/holidays/99999', { days: [] }],
      ['get', '/api/v1/prepaid/accounts?state=broken', undefined],
      ['get', '/api/v1/prepaid/accounts?limit=100000', undefined],
    ];
    for (const [method, path, body] of bad) {
      const r = await admin.request(method.toUpperCase(), path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    const contradict = await admin.put('/api/v1/prepaid/policy', { ...level, alarm2Fen: 9000 });
    expect(contradict.status).toBe(422);
    expect(contradict.body.error.code).toBe('PREPAID_POLICY_INVALID');
    const unknownGroup = await admin.put(`/api/v1/prepaid/accounts/${ids.a}/group`, {
      groupId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownGroup.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect(await prepaidCounts()).toEqual(before);
  });
});

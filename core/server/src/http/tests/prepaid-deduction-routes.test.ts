import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import { addDays, dayIn } from '../../services/prepaid/deduction/days.ts';
import { seedFlatPlan, seedPrepaidAccounts } from '../../services/prepaid/deduction/fixtures.ts';
import { type Area, demoAreas, inDemo, otherTenant, tenantId, userWith } from './archive-fixtures.ts';

// /api/v1/prepaid/deduction-runs and /deduction-settings: run a day now, list and read runs, the
// tenant's settings; tenant-wide users only, prepaid.manage to act, stable codes for bad input.
let p: TestPlatform;
let admin: Client;
let other: Client;
let viewer: Client;
let stranger: Client;
let scopedManager: Client;
let areas: Record<string, Area>;
const DAY = '2026-11-15';

/** Rows the routes could write, over all tenants: a refused request writes none. */
async function counts() {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from prepaid_deduction_runs)::int as runs,
      (select count(*) from prepaid_deduction_settings)::int as settings,
      (select count(*) from ledger_entries)::int as entries,
      (select count(*) from audit_log where action like 'prepaid.deduction%')::int as audits`),
  );
  return row;
}

async function waitDone(c: Client, id: string) {
  const until = Date.now() + 30_000;
  for (;;) {
    const r = await c.get(`/api/v1/prepaid/deduction-runs/${id}`);
    if (r.body.status === 'done' || r.body.status === 'failed' || Date.now() > until) return r;
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  await inDemo(p, async (tx) => {
    await seedFlatPlan(tx);
    await seedPrepaidAccounts(tx, {
      tag: 'rt',
      n: 30,
      areaId: areas['1单元'].id,
      from: '2026-11-01',
      days: 15,
    });
  });
  other = await otherTenant(p);
  // the platform's tick opens each tenant's run for yesterday once 01:00 has passed: that day is
  // taken in advance, so the tick never runs beside these tests
  const yesterday = addDays(dayIn(p.running.platform.config.QUADMETER_TIMEZONE), -1);
  for (const code of ['demo', 'other'])
    await withTenant(p.running.platform.db, await tenantId(p, code), (tx) =>
      tx.execute(sql`insert into prepaid_deduction_runs (tenant_id, day, status) values (app_tenant_id(), ${yesterday}::date, 'done')
        on conflict (tenant_id, day) do nothing`),
    );
  viewer = await userWith(p, admin, 'dd-view', ['billing.read', 'customers.read']);
  stranger = await userWith(p, admin, 'dd-none', ['customers.read']);
  scopedManager = await userWith(p, admin, 'dd-mgr', ['billing.read', 'prepaid.manage'], [areas['3号楼'].id]);
});
afterAll(async () => p?.stop());

describe('prepaid deduction routes', () => {
  it('run a day now: every prepaid meter charged once, listed, audited, shown on the account panel', async () => {
    const post = await admin.post('/api/v1/prepaid/deduction-runs', { day: DAY });
    expect(post.status, JSON.stringify(post.body)).toBe(201);
    expect(post.body).toMatchObject({ day: DAY, status: 'queued' });
    const run = await waitDone(admin, post.body.id);
    expect(run.body.status).toBe('done');
    const [expected] = await inDemo(p, (tx) =>
      tx.execute<{ n: number; fen: number }>(sql`select count(*)::int as n, sum(c.fen)::int as fen from (
        select m.account_id, round(sum(d.usage) * 0.4883 * 100) as fen from consumption_daily d
        join meters m on m.id = d.meter_id join accounts a on a.id = m.account_id
        where a.number like 'rt%' and d.day <= ${DAY}::date group by m.account_id) c where c.fen > 0`),
    );
    const [charged] = await inDemo(p, (tx) =>
      tx.execute<{ n: number; fen: number }>(sql`select count(*)::int as n, -sum(e.amount_fen)::int as fen
        from ledger_entries e join accounts a on a.id = e.account_id where a.number like 'rt%'`),
    );
    expect(charged).toEqual(expected);
    expect(run.body.progress.postings).toBeGreaterThanOrEqual(expected.n);
    // running the day again posts nothing more
    const again = await admin.post('/api/v1/prepaid/deduction-runs', { day: DAY });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(post.body.id);
    expect((await waitDone(admin, post.body.id)).body.status).toBe('done');
    const [after] = await inDemo(p, (tx) =>
      tx.execute<{ n: number }>(sql`select count(*)::int as n from ledger_entries e
        join accounts a on a.id = e.account_id where a.number like 'rt%'`),
    );
    expect(after.n).toBe(expected.n);
    const list = await admin.get('/api/v1/prepaid/deduction-runs?page=1&pageSize=5');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items[1]).toMatchObject({ id: post.body.id, day: DAY, status: 'done' });
    const page2 = await admin.get('/api/v1/prepaid/deduction-runs?page=2&pageSize=1');
    expect(page2.body.items.map((r: { id: string }) => r.id)).toEqual([post.body.id]);
    const [acct] = await inDemo(p, (tx) =>
      tx.execute<{ id: string }>(sql`select id::text as id from accounts where number = 'rt-A0000002'`),
    );
    const panel = await admin.get(`/api/v1/prepaid/accounts/${acct.id}`);
    expect(panel.status).toBe(200);
    expect(panel.body.deductions).toHaveLength(1);
    expect(panel.body.deductions[0]).toMatchObject({ day: DAY, category: 'usage' });
    expect(panel.body.deductions[0].amountFen).toBeLessThan(0);
    const audits = await counts();
    expect(audits.audits).toBe(2);
  });

  it('keeps settings per tenant', async () => {
    expect((await admin.get('/api/v1/prepaid/deduction-settings')).body).toEqual({
      mode: 'daily',
      runAt: '01:00',
    });
    const put = await admin.put('/api/v1/prepaid/deduction-settings', {
      mode: 'per-reading',
      runAt: '02:30',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ mode: 'per-reading', runAt: '02:30' });
    expect((await viewer.get('/api/v1/prepaid/deduction-settings')).body).toEqual({
      mode: 'per-reading',
      runAt: '02:30',
    });
    // the other tenant sees its own defaults
    expect((await other.get('/api/v1/prepaid/deduction-settings')).body).toEqual({
      mode: 'daily',
      runAt: '01:00',
    });
  });

  it('cross-tenant: another tenant neither sees nor reads this tenant’s runs', async () => {
    const [run] = await inDemo(p, (tx) =>
      tx.execute<{ id: string }>(
        sql`select id::text as id from prepaid_deduction_runs where day = ${DAY}::date`,
      ),
    );
    const one = await other.get(`/api/v1/prepaid/deduction-runs/${run.id}`);
    expect(one.status).toBe(404);
    expect(one.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const list = await other.get('/api/v1/prepaid/deduction-runs');
    expect(list.body.total).toBe(1);
    expect(list.body.items.map((r: { day: string }) => r.day)).not.toContain(DAY);
  });

  it('area scope and privileges: a user holding less cannot act, and nothing is written', async () => {
    const before = await counts();
    const [run] = await inDemo(p, (tx) =>
      tx.execute<{ id: string }>(
        sql`select id::text as id from prepaid_deduction_runs where day = ${DAY}::date`,
      ),
    );
    for (const r of [
      await scopedManager.get('/api/v1/prepaid/deduction-runs'),
      await scopedManager.get(`/api/v1/prepaid/deduction-runs/${run.id}`),
      await scopedManager.post('/api/v1/prepaid/deduction-runs', { day: '2026-11-14' }),
      await scopedManager.get('/api/v1/prepaid/deduction-settings'),
      await scopedManager.put('/api/v1/prepaid/deduction-settings', { mode: 'daily', runAt: '01:00' }),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    }
    for (const r of [
      await viewer.post('/api/v1/prepaid/deduction-runs', { day: '2026-11-14' }),
      await viewer.put('/api/v1/prepaid/deduction-settings', { mode: 'daily', runAt: '01:00' }),
      await stranger.get('/api/v1/prepaid/deduction-runs'),
      await stranger.get(`/api/v1/prepaid/deduction-runs/${run.id}`),
      await stranger.get('/api/v1/prepaid/deduction-settings'),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    }
    expect((await viewer.get('/api/v1/prepaid/deduction-runs')).status).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it('answers stable 4xx codes to bad input and writes nothing', async () => {
    const before = await counts();
    const bad: [string, string, unknown][] = [
      ['post', '/api/v1/prepaid/deduction-runs', {}],
      ['post', '/api/v1/prepaid/deduction-runs', { day: 20261114 }],
      ['post', '/api/v1/prepaid/deduction-runs', { day: '2026-13-01' }],
      ['post', '/api/v1/prepaid/deduction-runs', { day: '2026-02-30' }],
      ['post', '/api/v1/prepaid/deduction-runs', { day: '2026-11\u00001' }],
      ['post', '/api/v1/prepaid/deduction-runs', { day: '9'.repeat(100_000) }],
      ['post', '/api/v1/prepaid/deduction-runs', { day: '2026-11-14', extra: 1 }],
      ['post', '/api/v1/prepaid/deduction-runs', { day: null }],
      ['put', '/api/v1/prepaid/deduction-settings', {}],
      ['put', '/api/v1/prepaid/deduction-settings', { mode: 'hourly', runAt: '01:00' }],
      ['put', '/api/v1/prepaid/deduction-settings', { mode: 'daily', runAt: '24:00' }],
      ['put', '/api/v1/prepaid/deduction-settings', { mode: 'daily', runAt: '01:0\u0000' }],
      ['put', '/api/v1/prepaid/deduction-settings', { mode: 'daily', runAt: 100 }],
      ['put', '/api/v1/prepaid/deduction-settings', { mode: 'daily\u0000', runAt: '01:00' }],
      ['get', '/api/v1/prepaid/deduction-runs/not-a-uuid', undefined],
      ['get', '/api/v1/prepaid/deduction-runs?pageSize=100000', undefined],
      ['get', '/api/v1/prepaid/deduction-runs?page=0', undefined],
      ['get', '/api/v1/prepaid/deduction-runs?page=abc', undefined],
    ];
    for (const [method, path, body] of bad) {
      const r = await admin.request(method.toUpperCase(), path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}`).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    const empty = await admin.request('POST', '/api/v1/prepaid/deduction-runs', undefined);
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('REQ_VALIDATION');
    const future = await admin.post('/api/v1/prepaid/deduction-runs', { day: '2999-01-01' });
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe('PREPAID_DEDUCTION_FUTURE_DAY');
    const unknown = await admin.get('/api/v1/prepaid/deduction-runs/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect(await counts()).toEqual(before);
  });
});

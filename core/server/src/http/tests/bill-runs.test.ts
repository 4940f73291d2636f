import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { seedAccounts, seedPlan } from '../../services/billing/runs/fixtures.ts';
import { demoAreas, inDemo, otherTenant, userWith } from './archive-fixtures.ts';

// POST/GET /api/v1/bill-runs: a run bills its area; other tenants, other areas, users without
// billing.run / billing.read and malformed input get stable errors and write nothing.
let p: TestPlatform;
let admin: Client;
let other: Client;
let scoped: Client;
let viewer: Client;
let nobody: Client;
let areaA: string;
let areaB: string;
let runA: string;
let runB: string;

const FROM = '2026-10-01';
const TO = '2026-11-01';

/** Bill runs, bills and failures over all tenants (what a refused request must not change). */
async function written() {
  const [r] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from bill_runs)::int as runs, (select count(*) from bills)::int as bills,
      (select count(*) from bill_runs where status = 'cancelled')::int as cancelled,
      (select count(*) from bill_run_failures)::int as failures`),
  );
  return r as { runs: number; bills: number; cancelled: number; failures: number };
}

/** A queued run written straight to the table (no job: it stays queued). */
const queuedRun = (area: string | null, from: string, to: string) =>
  inDemo(p, async (tx) => {
    const [r] = (await tx.execute(sql`insert into bill_runs (tenant_id, area_id, period_from, period_to)
      values (app_tenant_id(), ${area}::uuid, ${from}::date, ${to}::date) returning id::text as id`)) as unknown as {
      id: string;
    }[];
    return r.id;
  });

async function settled(c: Client, id: string) {
  for (let i = 0; i < 300; i++) {
    const r = await c.get(`/api/v1/bill-runs/${id}`);
    if (['done', 'failed', 'cancelled'].includes(r.body.run?.status)) return r.body;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`bill run ${id} did not finish`);
}

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const areas = await demoAreas(admin);
  areaA = areas['1号楼'].id;
  areaB = areas['3号楼'].id;
  await inDemo(p, async (tx) => {
    await seedPlan(tx);
    await seedAccounts(tx, { tag: 'ra', n: 4, areaId: areaA, from: FROM, days: 31, noPlanEvery: 4 });
  });
  other = await otherTenant(p);
  scoped = await userWith(p, admin, 'run-a', ['billing.read', 'billing.run'], [areaA]);
  viewer = await userWith(p, admin, 'run-view', ['billing.read']);
  nobody = await userWith(p, admin, 'run-none', ['areas.read']);
  const a = await admin.post('/api/v1/bill-runs', { areaId: areaA, periodFrom: FROM, periodTo: TO });
  expect(a.status).toBe(201);
  runA = a.body.run.id;
  runB = await queuedRun(areaB, FROM, TO);
});
afterAll(async () => p?.stop());

describe('a bill run started through the API', () => {
  it('bills the area, counts what it did and lists the accounts it could not bill', async () => {
    const body = await settled(admin, runA);
    expect(body.run).toMatchObject({
      areaId: areaA,
      areaName: '1号楼',
      periodFrom: FROM,
      periodTo: TO,
      status: 'done',
      rebill: false,
      progress: { total: 4, billed: 3, held: 0, skipped: 0, failed: 1 },
      createdByName: expect.any(String),
    });
    expect(body.failures).toEqual([
      { accountId: expect.any(String), accountNumber: 'ra-A0000004', reasons: ['no-plan:meter-power'] },
    ]);
    const list = await admin.get('/api/v1/bill-runs?limit=10');
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([runB, runA]);
    const running = await admin.get('/api/v1/bill-runs?status=queued');
    expect(running.body.items.map((r: { id: string }) => r.id)).toEqual([runB]);
  });

  it('refuses a second run for a period and area while one is queued, and cancels a queued run', async () => {
    const before = await written();
    const busy = await admin.post('/api/v1/bill-runs', { areaId: areaB, periodFrom: FROM, periodTo: TO });
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('BILL_RUN_BUSY');
    expect(await written()).toEqual(before);
    const done = await admin.post(`/api/v1/bill-runs/${runA}/cancel`, {});
    expect(done.status).toBe(409);
    expect(done.body.error.code).toBe('BILL_RUN_NOT_CANCELLABLE');
    const q = await queuedRun(areaB, '2026-09-01', '2026-10-01');
    const cancelled = await admin.post(`/api/v1/bill-runs/${q}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.run.status).toBe('cancelled');
    expect(await written()).toEqual({ ...before, runs: before.runs + 1, cancelled: before.cancelled + 1 });
  });
});

describe('bill runs across tenants', () => {
  it('answer 404 for another tenant’s runs and areas, and change nothing', async () => {
    const before = await written();
    const probes = [
      [await other.get(`/api/v1/bill-runs/${runA}`), 'BILL_RUN_NOT_FOUND'],
      [await other.post(`/api/v1/bill-runs/${runB}/cancel`, {}), 'BILL_RUN_NOT_FOUND'],
      [
        await other.post('/api/v1/bill-runs', { areaId: areaA, periodFrom: FROM, periodTo: TO }),
        'AREA_OUT_OF_SCOPE',
      ],
    ] as const;
    for (const [r, code] of probes) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe(code);
    }
    expect((await other.get('/api/v1/bill-runs')).body.items).toEqual([]);
    expect(await written()).toEqual(before);
  });
});

describe('bill runs within a user’s areas', () => {
  it('hide other areas’ and tenant-wide runs and refuse to start or cancel them', async () => {
    const wide = await queuedRun(null, '2026-08-01', '2026-09-01');
    const before = await written();
    expect((await scoped.get(`/api/v1/bill-runs/${runB}`)).body.error.code).toBe('BILL_RUN_NOT_FOUND');
    expect((await scoped.get(`/api/v1/bill-runs/${wide}`)).status).toBe(404);
    const cancel = await scoped.post(`/api/v1/bill-runs/${runB}/cancel`, {});
    expect([cancel.status, cancel.body.error.code]).toEqual([404, 'BILL_RUN_NOT_FOUND']);
    const start = await scoped.post('/api/v1/bill-runs', {
      areaId: areaB,
      periodFrom: '2026-07-01',
      periodTo: '2026-08-01',
    });
    expect([start.status, start.body.error.code]).toEqual([404, 'AREA_OUT_OF_SCOPE']);
    const whole = await scoped.post('/api/v1/bill-runs', {
      areaId: null,
      periodFrom: '2026-07-01',
      periodTo: '2026-08-01',
    });
    expect([whole.status, whole.body.error.code]).toEqual([403, 'AUTH_SCOPE_TENANT_WIDE']);
    expect((await scoped.get('/api/v1/bill-runs')).body.items.map((r: { id: string }) => r.id)).toEqual([
      runA,
    ]);
    expect((await scoped.get(`/api/v1/bill-runs/${runA}`)).status).toBe(200);
    expect(await written()).toEqual(before);
  });
});

describe('bill run privileges', () => {
  it('need billing.run to start or cancel and billing.read to look', async () => {
    const before = await written();
    const start = await viewer.post('/api/v1/bill-runs', {
      areaId: areaA,
      periodFrom: '2026-06-01',
      periodTo: '2026-07-01',
    });
    expect([start.status, start.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    const cancel = await viewer.post(`/api/v1/bill-runs/${runB}/cancel`, {});
    expect([cancel.status, cancel.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    expect((await viewer.get(`/api/v1/bill-runs/${runA}`)).status).toBe(200);
    for (const r of [await nobody.get('/api/v1/bill-runs'), await nobody.get(`/api/v1/bill-runs/${runA}`)])
      expect([r.status, r.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    expect(await written()).toEqual(before);
  });
});

describe('bill run input', () => {
  it('answers stable 4xx codes for malformed requests and writes nothing', async () => {
    const before = await written();
    const post = (body: unknown) => admin.post('/api/v1/bill-runs', body);
    const cases: [Promise<{ status: number; body: { error: { code: string } } }>, number, string][] = [
      [post({}), 400, 'REQ_VALIDATION'],
      [post({ areaId: 5, periodFrom: FROM, periodTo: TO }), 400, 'REQ_VALIDATION'],
      [post({ areaId: areaA, periodFrom: '2026-10-01\u0000', periodTo: TO }), 400, 'REQ_VALIDATION'],
      [post({ areaId: areaA, periodFrom: FROM, periodTo: '99999-01-01' }), 400, 'REQ_VALIDATION'],
      [post({ areaId: areaA, periodFrom: FROM, periodTo: TO, force: true }), 400, 'REQ_VALIDATION'],
      [post({ areaId: areaA, periodFrom: FROM, periodTo: '2036-10-01' }), 400, 'BILL_RUN_PERIOD_INVALID'],
      [post({ areaId: areaA, periodFrom: TO, periodTo: FROM }), 400, 'BILL_RUN_PERIOD_INVALID'],
      [post({ areaId: areaA, periodFrom: FROM, periodTo: FROM }), 400, 'BILL_RUN_PERIOD_INVALID'],
      [admin.get('/api/v1/bill-runs/not-a-uuid'), 400, 'REQ_VALIDATION'],
      [admin.get('/api/v1/bill-runs?limit=100000000000'), 400, 'REQ_VALIDATION'],
      [admin.get('/api/v1/bill-runs?status=paid'), 400, 'REQ_VALIDATION'],
      [admin.post(`/api/v1/bill-runs/${runB}/cancel`, { now: true }), 400, 'REQ_VALIDATION'],
      [admin.get(`/api/v1/bill-runs/${crypto.randomUUID()}`), 404, 'BILL_RUN_NOT_FOUND'],
    ];
    for (const [r, status, code] of cases) {
      const res = await r;
      expect([res.status, res.body.error.code]).toEqual([status, code]);
    }
    expect(await written()).toEqual(before);
  });
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { withTenant } from '../../../db/tenant.ts';
import { type Jobs, startJobs } from '../../../jobs/jobs.ts';
import { createLogger } from '../../../logger.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { parseTariff, quote } from '../tariff/index.ts';
import { monthlyPowerTariff, seedAccounts, seedArea, seedPlan, seedRun } from './fixtures.ts';
import { enqueueRun, startBillRunWorker } from './index.ts';

// A bill run killed with kill -9 halfway (test/billrun-child.ts runs the worker) and restarted
// bills every account exactly once: one live bill each, totals equal to the tariff engine's quote,
// ledger charges equal to the bill totals, no business key twice.
const N = 1200;
const NO_PLAN_EVERY = 100;
const FROM = '2026-10-01';
const TO = '2026-11-01';
let t: TestDatabase;
let jobs: Jobs | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await jobs?.stop();
  await t?.drop();
});

const count = async (db: TestDatabase['database']['db'], tenant: string, q: ReturnType<typeof sql>) =>
  ((await withTenant(db, tenant, (tx) => tx.execute(q))) as unknown as { n: number }[])[0].n;

describe('bill run killed with kill -9 halfway', () => {
  it('bills every account exactly once after the restart', async () => {
    const db = t.database.db;
    const tenant = (
      await createTenant(db, { code: 'kb', name: 'kb', adminUsername: 'admin', adminPassword: 'password-kb' })
    ).id;
    const runId = await withTenant(db, tenant, async (tx) => {
      const area = await seedArea(tx, 'kill');
      await seedPlan(tx);
      await seedAccounts(tx, {
        tag: 'k',
        n: N,
        areaId: area,
        from: FROM,
        days: 31,
        noPlanEvery: NO_PLAN_EVERY,
      });
      return await seedRun(tx, null, FROM, TO);
    });
    const child = spawn(process.execPath, [
      fileURLToPath(new URL('../../../../test/billrun-child.ts', import.meta.url)),
      t.url,
      '50',
    ]);
    const exited = new Promise((ok) => child.on('exit', ok));
    let billedByChild = 0;
    await new Promise<void>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('started')) ok();
        billedByChild = [...out.matchAll(/chunk (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
        if (billedByChild >= N / 2) child.kill('SIGKILL');
      });
      child.on('exit', (code) => fail(new Error(`bill run child exited ${code}`)));
    });
    jobs = await startJobs(t.url, createLogger('silent'));
    await enqueueRun(jobs, tenant, runId);
    await exited;
    const billsAtKill = await count(db, tenant, sql`select count(*)::int as n from bills`);
    expect(billsAtKill).toBeGreaterThan(0);
    expect(billsAtKill).toBeLessThan(N - N / NO_PLAN_EVERY);
    const statusAtKill = await count(db, tenant, sql`select (status = 'running')::int as n from bill_runs`);
    expect(statusAtKill).toBe(1);

    // restart: a new worker re-enqueues the run left running and finishes it
    await startBillRunWorker(
      { db: t.database.jobs, jobs, logger: createLogger('silent') },
      { chunkSize: 50, resume: true },
    );
    for (let i = 0; i < 600; i++) {
      const done = await count(db, tenant, sql`select (status = 'done')::int as n from bill_runs`);
      if (done) break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    const run = await withTenant(db, tenant, (tx) =>
      tx.execute(sql`select status, progress from bill_runs where id = ${runId}`),
    );
    const billed = N - N / NO_PLAN_EVERY;
    expect(run[0]).toMatchObject({
      status: 'done',
      progress: { total: N, billed, held: 0, failed: N / NO_PLAN_EVERY },
    });

    const rows = (await withTenant(db, tenant, (tx) =>
      tx.execute(sql`
        select a.number, (select count(*)::int from bills b where b.account_id = a.id and b.status <> 'cancelled') as live,
          (select b.total_fen::int from bills b where b.account_id = a.id) as total,
          (select coalesce(-sum(e.amount_fen), 0)::int from ledger_entries e where e.account_id = a.id) as charged,
          (select count(*)::int from ledger_entries e where e.account_id = a.id) as entries,
          (select sum(usage)::text from consumption_daily d join meters m on m.id = d.meter_id where m.account_id = a.id) as usage,
          (select value::int from customer_facts f where f.customer_id = a.customer_id) as persons,
          (select array_agg(reasons[1]) from bill_run_failures f where f.account_id = a.id) as failed
        from accounts a order by a.number`),
    )) as unknown as {
      number: string;
      live: number;
      total: number | null;
      charged: number;
      entries: number;
      usage: string;
      persons: number;
      failed: string[] | null;
    }[];
    expect(rows).toHaveLength(N);
    const tariff = parseTariff(monthlyPowerTariff());
    for (const [i, r] of rows.entries()) {
      if ((i + 1) % NO_PLAN_EVERY === 0) {
        expect(r).toMatchObject({
          live: 0,
          total: null,
          charged: 0,
          entries: 0,
          failed: ['no-plan:meter-power'],
        });
        continue;
      }
      const expected = quote(tariff, {
        period: { from: FROM, to: TO },
        consumption: r.usage,
        householdSize: r.persons,
        lowIncome: false,
      }).totalFen;
      expect({ n: r.number, live: r.live, total: r.total, charged: r.charged, entries: r.entries }).toEqual({
        n: r.number,
        live: 1,
        total: expected,
        charged: expected,
        entries: expected === 0 ? 0 : 1,
      });
    }
    const keys = await count(
      db,
      tenant,
      sql`select (count(*) - count(distinct business_key))::int as n from ledger_entries`,
    );
    expect(keys).toBe(0);
    const balances = await count(
      db,
      tenant,
      sql`select count(*)::int as n from account_balances b
      where b.balance_fen <> (select sum(amount_fen) from ledger_entries e where e.account_id = b.account_id)`,
    );
    expect(balances).toBe(0);
  }, 120_000);
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { withTenant } from '../../../db/tenant.ts';
import { type Jobs, startJobs } from '../../../jobs/jobs.ts';
import { createLogger } from '../../../logger.ts';
import { seedArea } from '../../billing/runs/fixtures.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { FLAT_PRICE, seedFlatPlan, seedPrepaidAccounts } from './fixtures.ts';
import { enqueueDeductionRun, openRun, startDeductionWorker } from './index.ts';

// A deduction run killed with kill -9 halfway (test/deduction-child.ts runs the worker) and
// restarted charges every account exactly once for the day: one posting each, equal to the flat
// price of its usage from the month's first day through the day, balances equal to the entries.
const N = 3000;
const DAY = '2026-11-15';
let t: TestDatabase;
let jobs: Jobs | undefined;
let stopWorker: (() => Promise<void>) | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await stopWorker?.();
  await jobs?.stop();
  await t?.drop();
});

const one = async <T>(tenant: string, q: ReturnType<typeof sql>) =>
  ((await withTenant(t.database.db, tenant, (tx) => tx.execute(q))) as unknown as T[])[0];

describe('deduction run killed with kill -9 halfway', () => {
  it('charges every account exactly once for the day after the restart', async () => {
    const db = t.database.db;
    const tenant = (
      await createTenant(db, { code: 'kd', name: 'kd', adminUsername: 'admin', adminPassword: 'password-kd' })
    ).id;
    const run = await withTenant(db, tenant, async (tx) => {
      await seedFlatPlan(tx);
      const area = await seedArea(tx, 'kill');
      await seedPrepaidAccounts(tx, { tag: 'kd', n: N, areaId: area, from: '2026-11-01', days: 15 });
      return await openRun(tx, DAY, null);
    });
    const child = spawn(process.execPath, [
      fileURLToPath(new URL('../../../../test/deduction-child.ts', import.meta.url)),
      t.url,
      '100',
    ]);
    const exited = new Promise((ok) => child.on('exit', ok));
    await new Promise<void>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('started')) ok();
        const done = [...out.matchAll(/batch (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
        if (done >= N / 2) child.kill('SIGKILL');
      });
      child.on('exit', (code) => fail(new Error(`deduction child exited ${code}`)));
    });
    jobs = await startJobs(t.url, createLogger('silent'));
    await enqueueDeductionRun(jobs, tenant, run.id);
    await exited;
    const atKill = await one<{ n: number; status: string }>(
      tenant,
      sql`select (select count(*)::int from ledger_entries) as n, (select status from prepaid_deduction_runs) as status`,
    );
    expect(atKill.n).toBeGreaterThan(0);
    expect(atKill.n).toBeLessThan(N);
    expect(atKill.status).toBe('running');

    // restart: a new worker re-enqueues the run left running and finishes it
    const w = await startDeductionWorker(
      { db: t.database.jobs, jobs, logger: createLogger('silent') },
      { batch: 100, resume: true, cron: false, timeZone: 'Asia/Shanghai' },
    );
    stopWorker = () => w.stop();
    for (let i = 0; i < 600; i++) {
      const r = await one<{ status: string }>(tenant, sql`select status from prepaid_deduction_runs`);
      if (r.status === 'done') break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    const expected = await one<{ accounts: number; fen: string }>(
      tenant,
      sql`select count(*)::int as accounts, sum(c.fen)::text as fen from (
        select m.account_id, round(sum(d.usage) * ${FLAT_PRICE}::numeric * 100) as fen
        from consumption_daily d join meters m on m.id = d.meter_id group by m.account_id) c where c.fen > 0`,
    );
    const r = await one<{ status: string; progress: Record<string, number> }>(
      tenant,
      sql`select status, progress from prepaid_deduction_runs`,
    );
    expect(r.status).toBe('done');
    expect(r.progress).toMatchObject({
      meters: N,
      failed: 0,
      postings: expected.accounts,
      fen: Number(expected.fen),
    });
    const check = await one<{ wrong: number; twice: number; unbalanced: number; entries: number }>(
      tenant,
      sql`select
        (select count(*)::int from (
          select m.account_id, round(sum(d.usage) * ${FLAT_PRICE}::numeric * 100) as fen
          from consumption_daily d join meters m on m.id = d.meter_id group by m.account_id) c
         where c.fen <> coalesce((select -sum(e.amount_fen) from ledger_entries e where e.account_id = c.account_id), 0)) as wrong,
        (select count(*)::int from (select account_id from ledger_entries group by account_id having count(*) > 1) x) as twice,
        (select count(*)::int from account_balances b
          where b.balance_fen <> (select sum(amount_fen) from ledger_entries e where e.account_id = b.account_id)) as unbalanced,
        (select count(*)::int from ledger_entries) as entries`,
    );
    expect(check).toEqual({ wrong: 0, twice: 0, unbalanced: 0, entries: expected.accounts });
  }, 180_000);
});

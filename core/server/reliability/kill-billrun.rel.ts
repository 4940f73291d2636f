import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.ts';
import { withTenant } from '../src/db/tenant.ts';
import { seedAccounts, seedArea, seedPlan } from '../src/services/billing/runs/fixtures.ts';
import { loggedIn } from '../test/client.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { pause, type ServerProcess, serverEnv, startServer } from './support/server-process.ts';

// kill -9 of the whole server process (`quadmeter start`, its pg-boss worker inside) while a bill
// run started through the API is between chunks: after the restart the run is resumed by the new
// process and every account is billed exactly once (one live bill, its ledger charge equal to the
// bill, no business key twice, balances equal to the ledger). Chunks of the worker's default 10,000
// accounts, two at once. 12,000 accounts: staged in one transaction; two chunks, the small one
// commits while the large one is still writing. 30,000 accounts (from 20,000 the run stages its
// accounts and its usage on two connections at once, runs/stage.ts): three chunks, killed after the
// first commits.
const FROM = '2026-10-01';
const TO = '2026-11-01';

let t: TestDatabase;
let env: Awaited<ReturnType<typeof serverEnv>>;
let server: ServerProcess | undefined;
let sql: postgres.Sql;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.close();
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
  env = await serverEnv(t.url);
});
afterAll(async () => {
  await server?.stop();
  await sql?.end();
  await env?.cleanup();
  await t?.drop();
});

describe('kill -9 of the server during a bill run', () => {
  it.each([
    { N: 12_000, tag: 'rk', stage: 'one transaction' },
    { N: 30_000, tag: 'rl', stage: 'two connections' },
  ])(
    'bills every account exactly once after the restart ($N accounts, staged in $stage)',
    async ({ N, tag }) => {
      server = await startServer(env);
      let admin = await loggedIn(server.url, 'demo', 'admin', env.demoPassword);
      const tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id as string;
      const database = openDatabase(t.url);
      let areaId = '';
      try {
        areaId = await withTenant(database.db, tenantId, async (tx) => {
          const area = await seedArea(tx, `reliability-${tag}`);
          await seedPlan(tx);
          await seedAccounts(tx, { tag, n: N, areaId: area, from: FROM, days: 31 });
          return area;
        });
        // fresh statistics, as after autovacuum: the run's planner must not see empty tables
        await database.sql.unsafe('analyze');
      } finally {
        await database.close();
      }
      const started = await admin.post('/api/v1/bill-runs', { areaId, periodFrom: FROM, periodTo: TO });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const id = started.body.run.id as string;
      let billedAtKill = 0;
      for (let i = 0; i < 6000; i++) {
        const run = (await admin.get(`/api/v1/bill-runs/${id}`)).body.run;
        if (run.progress.billed > 0) {
          await server.kill9();
          billedAtKill = run.progress.billed;
          break;
        }
        await pause(20);
      }
      expect(billedAtKill).toBeGreaterThan(0);
      const [atKill] = await sql<{ bills: number; status: string }[]>`
      select (select count(*)::int from bills where run_id = ${id}) as bills,
        (select status from bill_runs where id = ${id}) as status`;
      expect(atKill.status).toBe('running');
      expect(atKill.bills).toBeLessThan(N);

      server = await startServer(env);
      admin = await loggedIn(server.url, 'demo', 'admin', env.demoPassword);
      let run = { status: '', progress: { total: 0, billed: 0, failed: 0 } };
      for (let i = 0; i < 1200 && run.status !== 'done' && run.status !== 'failed'; i++) {
        run = (await admin.get(`/api/v1/bill-runs/${id}`)).body.run;
        await pause(100);
      }
      expect(run).toMatchObject({ status: 'done', progress: { total: N, billed: N, failed: 0 } });
      const [check] = await sql<{ notOnce: number; mismatched: number; dupKeys: number; balances: number }[]>`
      select
        (select count(*)::int from accounts a where a.number like ${`${tag}-%`} and
          (select count(*) from bills b where b.account_id = a.id and b.status <> 'cancelled') <> 1) as "notOnce",
        (select count(*)::int from bills b where b.total_fen <>
          coalesce((select -sum(e.amount_fen) from ledger_entries e where e.account_id = b.account_id), 0)) as mismatched,
        (select (count(*) - count(distinct business_key))::int from ledger_entries) as "dupKeys",
        (select count(*)::int from account_balances b where b.balance_fen <>
          (select coalesce(sum(amount_fen), 0) from ledger_entries e where e.account_id = b.account_id)) as balances`;
      expect(check).toEqual({ notOnce: 0, mismatched: 0, dupKeys: 0, balances: 0 });
      console.log(
        `bill run kill (${N} accounts): ${atKill.bills} of ${N} bills committed at kill -9 (progress said ${billedAtKill}); after the restart ${N} billed once each`,
      );
      await server.stop();
      server = undefined;
    },
    300_000,
  );
});

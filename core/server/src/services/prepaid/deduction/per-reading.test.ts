import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { withTenant } from '../../../db/tenant.ts';
import { type Jobs, startJobs } from '../../../jobs/jobs.ts';
import { createLogger } from '../../../logger.ts';
import { seedArea } from '../../billing/runs/fixtures.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { FLAT_PRICE, seedFlatPlan, seedPrepaidAccounts } from './fixtures.ts';
import { startDeductionWorker } from './index.ts';
import { perReadingDeductions } from './per-reading.ts';
import { writeSettings } from './settings.ts';

// Per-reading mode: readings stored for a prepaid meter queue (through pg-boss) the same
// period-to-date deduction for that meter's local day; postpaid meters and daily-mode tenants
// queue nothing.
let t: TestDatabase;
let jobs: Jobs;
let stop: (() => Promise<void>) | undefined;
const logger = createLogger('silent');
const ZONE = 'Asia/Shanghai';

beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, logger);
  const w = await startDeductionWorker(
    { db: t.database.jobs, jobs, logger },
    { cron: false, timeZone: ZONE },
  );
  stop = () => w.stop();
});
afterAll(async () => {
  await stop?.();
  await jobs?.stop();
  await t?.drop();
});

describe('per-reading deduction', () => {
  it("deducts a prepaid meter's day after its readings are stored, and nothing else", async () => {
    const db = t.database.db;
    const tenant = (
      await createTenant(db, { code: 'pr', name: 'pr', adminUsername: 'admin', adminPassword: 'password-pr' })
    ).id;
    const meters = await withTenant(db, tenant, async (tx) => {
      await seedFlatPlan(tx);
      const area = await seedArea(tx, 'pr');
      await seedPrepaidAccounts(tx, { tag: 'pr', n: 3, areaId: area, from: '2026-11-01', days: 15 });
      await tx.execute(sql`update account_billing_modes set mode = 'postpaid'
        where account_id = (select id from accounts where number = 'pr-A0000003')`);
      return (await tx.execute(sql`select m.id::text as id from meters m join accounts a on a.id = m.account_id
        order by a.number`)) as unknown as { id: string }[];
    });
    // 2026-11-10 12:00 in Shanghai
    const ts = Date.parse('2026-11-10T04:00:00Z');
    const daily = perReadingDeductions(t.database.jobs, jobs, ZONE, logger, 0);
    await daily(tenant, [{ meterId: meters[0].id, ts }]);
    await withTenant(db, tenant, (tx) => writeSettings(tx, { mode: 'per-reading', runAt: '01:00' }));
    const hook = perReadingDeductions(t.database.jobs, jobs, ZONE, logger, 0);
    await hook(tenant, [
      { meterId: meters[1].id, ts },
      { meterId: meters[1].id, ts: ts + 60_000 },
      { meterId: meters[2].id, ts },
    ]);
    const expected = await withTenant(db, tenant, (tx) =>
      tx.execute<{ fen: number }>(sql`select round(sum(usage) * ${FLAT_PRICE}::numeric * 100)::int as fen
        from consumption_daily where meter_id = ${meters[1].id}::uuid and day <= '2026-11-10'`),
    );
    let rows: { key: string; fen: number }[] = [];
    for (let i = 0; i < 200 && rows.length === 0; i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      rows = (await withTenant(db, tenant, (tx) =>
        tx.execute(sql`select business_key as key, -amount_fen::int as fen from ledger_entries`),
      )) as unknown as { key: string; fen: number }[];
    }
    // give a stray job of the daily-mode call or the postpaid meter time to show itself
    await new Promise((ok) => setTimeout(ok, 1500));
    rows = (await withTenant(db, tenant, (tx) =>
      tx.execute(sql`select business_key as key, -amount_fen::int as fen from ledger_entries`),
    )) as unknown as { key: string; fen: number }[];
    expect(rows).toEqual([{ key: `deduct:${meters[1].id}:2026-11-10`, fen: expected[0].fen }]);
  }, 60_000);
});

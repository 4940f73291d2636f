import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn } from '../../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/platform.ts';
import { demoAreas, inDemo } from '../../../http/tests/archive-fixtures.ts';
import { todayIn } from '../../archives/scope.ts';
import { fixtureBill, fixtureIssue } from './bill-fixtures.ts';
import { LATE_FEE_SCHEDULE_QUEUE } from './late-fee-jobs.ts';
import { addDays } from './late-fee-rule.ts';

let p: TestPlatform;
let bill = '';
let today = '';

beforeAll(async () => {
  p = await startTestPlatform();
  const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const area = (await demoAreas(admin))['1号楼'].id;
  today = todayIn(p.running.platform.config.QUADMETER_TIMEZONE);
  bill = await inDemo(p, async (tx) => {
    const b = await fixtureBill(tx, area, 'J1', [{ category: 'usage', fen: 200_000 }]);
    await fixtureIssue(tx, b.bill, addDays(today, -3));
    return b.bill;
  });
});
afterAll(async () => p?.stop());

describe('the daily late-fee schedule', () => {
  it('is a pg-boss schedule at 00:10 in the tenants’ zone', async () => {
    const rows = await p.running.platform.database.sql`
      select cron, timezone as tz from pgboss.schedule where name = ${LATE_FEE_SCHEDULE_QUEUE}`;
    expect(rows.map((r) => ({ ...r }))).toEqual([{ cron: '10 0 * * *', tz: 'Asia/Shanghai' }]);
  });

  it('fans out to each tenant, whose job posts the overdue days once however often it runs', async () => {
    const jobs = p.running.platform.jobs;
    await jobs.send(LATE_FEE_SCHEDULE_QUEUE, '00000000-0000-0000-0000-000000000000', {});
    const days = () =>
      inDemo(p, (tx) =>
        tx.execute<{
          day: string;
          fen: number;
        }>(sql`select occurred_on::text as day, (-amount_fen)::int as fen
          from ledger_entries where bill_id = ${bill} and kind = 'late_fee' order by occurred_on`),
      );
    await expect.poll(async () => (await days()).length, { timeout: 30_000, interval: 250 }).toBe(3);
    // a second slot the same day is a singleton per tenant and day, and the keys refuse a repeat
    await jobs.send(LATE_FEE_SCHEDULE_QUEUE, '00000000-0000-0000-0000-000000000000', {});
    const open = async () =>
      Number(
        (
          await p.running.platform.database.sql`select count(*)::int as n from pgboss.job
            where name like 'billing.late-fees%' and state in ('created', 'retry', 'active')`
        )[0].n,
      );
    await expect.poll(open, { timeout: 30_000, interval: 250 }).toBe(0);
    expect(await days()).toEqual([1, 2, 3].map((n) => ({ day: addDays(today, n - 3), fen: 200 })));
  });
});

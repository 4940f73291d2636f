import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { withTenant } from '../../../db/tenant.ts';
import { monthlyPowerTariff, seedAccounts, seedArea, seedPlan } from '../../billing/runs/fixtures.ts';
import { parseTariff, quote } from '../../billing/tariff/index.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { addDays } from './days.ts';
import { deductDay } from './run.ts';

// Period-to-date daily deduction on the monthly three-tier power tariff (240/400 kWh): each day
// charges the month-to-date quote less what the month's deductions already took, so tiers cross
// mid-month exactly where the monthly quote crosses them and 31 deductions sum to the monthly bill.
const N = 40;
const FROM = '2026-10-01';
const TO = '2026-11-01';
let t: TestDatabase;
let tenant: string;
const tariff = parseTariff(monthlyPowerTariff());

beforeAll(async () => {
  t = await createTestDatabase();
  tenant = (
    await createTenant(t.database.db, {
      code: 'pd',
      name: 'pd',
      adminUsername: 'admin',
      adminPassword: 'password-pd',
    })
  ).id;
  await withTenant(t.database.db, tenant, async (tx) => {
    const area = await seedArea(tx, 'deduct');
    await seedPlan(tx);
    await seedAccounts(tx, { tag: 'pd', n: N, areaId: area, from: FROM, days: 31, noPlanEvery: 20 });
    await tx.execute(sql`update account_billing_modes set mode = 'prepaid'`);
    // account 1 becomes postpaid: never deducted
    await tx.execute(sql`update account_billing_modes set mode = 'postpaid'
      where account_id = (select id from accounts where number = 'pd-A0000001')`);
  });
});
afterAll(async () => {
  await t?.drop();
});

const q = <T>(text: ReturnType<typeof sql>) =>
  withTenant(t.database.db, tenant, (tx) => tx.execute(text)) as unknown as Promise<T[]>;

interface Row {
  number: string;
  meter: string;
  persons: number;
  usage: string;
  charged: number;
  entries: number;
  balance: number | null;
}
const perAccount = () =>
  q<Row>(sql`select a.number, m.id::text as meter,
      (select value::int from customer_facts f where f.customer_id = a.customer_id) as persons,
      (select coalesce(sum(usage), 0)::text from consumption_daily d where d.meter_id = m.id) as usage,
      (select coalesce(-sum(e.amount_fen), 0)::int from ledger_entries e where e.account_id = a.id) as charged,
      (select count(*)::int from ledger_entries e where e.account_id = a.id) as entries,
      (select b.balance_fen::int from account_balances b where b.account_id = a.id) as balance
    from accounts a join meters m on m.account_id = a.id order by a.number`);

const monthQuote = (usage: string, persons: number, to = TO) =>
  quote(tariff, { period: { from: FROM, to }, consumption: usage, householdSize: persons, lowIncome: false })
    .totalFen;

describe('prepaid daily deduction, period to date', () => {
  it('a missed day is caught up the next day, and the month sums to the monthly bill to the fen', async () => {
    // account 3's reading of 10-05 arrives late: its daily row is absent when 10-05 is deducted
    const [late] = await q<{
      meter: string;
      usage: string;
    }>(sql`delete from consumption_daily d using meters m, accounts a
      where m.id = d.meter_id and a.id = m.account_id and a.number = 'pd-A0000003' and d.day = '2026-10-05'
      returning d.meter_id::text as meter, d.usage::text as usage`);
    let day = FROM;
    for (let i = 0; i < 31; i++, day = addDays(day, 1)) {
      const r = await deductDay(t.database.db, tenant, day, { batch: 7 });
      // 39 prepaid meters, 2 of them with no plan
      expect(r).toMatchObject({ meters: N - 1, failed: 2 });
      if (day === '2026-10-05')
        await q(sql`insert into consumption_daily (tenant_id, meter_id, day, usage, readings)
          values (app_tenant_id(), ${late.meter}::uuid, '2026-10-05', ${late.usage}::numeric, 1)`);
      if (day === '2026-10-06') {
        const [c] = await q<{ fen: number }>(sql`select -amount_fen::int as fen from ledger_entries
          where business_key = ${`deduct:${late.meter}:2026-10-06`}`);
        const [u] = await q<{ six: string; five: string; persons: number }>(sql`select
          (select sum(usage)::text from consumption_daily where meter_id = ${late.meter}::uuid and day <= '2026-10-06') as six,
          (select sum(usage)::text from consumption_daily where meter_id = ${late.meter}::uuid and day <= '2026-10-05' and day <> '2026-10-05') as five,
          (select value::int from customer_facts f join accounts a on a.customer_id = f.customer_id where a.number = 'pd-A0000003') as persons`);
        // the 6th charges days 5 and 6: all through the 6th less what days 1–4 took
        expect(c.fen).toBe(
          monthQuote(u.six, u.persons, '2026-10-07') - monthQuote(u.five, u.persons, '2026-10-05'),
        );
      }
    }
    const rows = await perAccount();
    for (const [i, r] of rows.entries()) {
      if (i === 0 || (i + 1) % 20 === 0) {
        expect({ n: r.number, charged: r.charged, entries: r.entries }).toEqual({
          n: r.number,
          charged: 0,
          entries: 0,
        });
        continue;
      }
      expect({ n: r.number, charged: r.charged, balance: r.balance }).toEqual({
        n: r.number,
        charged: monthQuote(r.usage, r.persons),
        balance: -monthQuote(r.usage, r.persons),
      });
    }
    const [dup] = await q<{ n: number }>(
      sql`select (count(*) - count(distinct business_key))::int as n from ledger_entries`,
    );
    expect(dup.n).toBe(0);
  });

  it('tiers cross mid-month exactly where the month-to-date quote crosses them', async () => {
    // the heaviest account (usage 600 kWh, 1 person): 240 kWh reached on day 13, 400 on day 21
    const rows = await perAccount();
    const heavy = rows.reduce((a, b) => (Number(b.usage) > Number(a.usage) && b.charged ? b : a));
    const days = await q<{ day: string; fen: number; through: string }>(sql`select e.occurred_on::text as day,
        -e.amount_fen::int as fen,
        (select sum(usage)::text from consumption_daily d where d.meter_id = e.meter_id and d.day <= e.occurred_on) as through
      from ledger_entries e where e.meter_id = ${heavy.meter}::uuid order by e.occurred_on`);
    expect(days).toHaveLength(31);
    let before = 0;
    const prices = new Set<string>();
    for (const d of days) {
      const upTo = monthQuote(d.through, heavy.persons, addDays(d.day, 1));
      expect({ day: d.day, fen: d.fen }).toEqual({ day: d.day, fen: upTo - before });
      before = upTo;
      const lines = quote(tariff, {
        period: { from: FROM, to: addDays(d.day, 1) },
        consumption: d.through,
        householdSize: heavy.persons,
        lowIncome: false,
      }).lines;
      prices.add(lines.map((l) => l.price).join('/'));
    }
    // the month walked through all three tiers
    expect([...prices].at(-1)?.split('/')).toHaveLength(3);
  });

  it('running a day again posts nothing; a corrected reading posts the difference under a revision key', async () => {
    const before = await q<{ n: number }>(sql`select count(*)::int as n from ledger_entries`);
    const again = await deductDay(t.database.db, tenant, '2026-10-31', {});
    expect(again.posted).toBe(0);
    // an earlier day after later ones were deducted: covered by the later days, nothing posted
    expect((await deductDay(t.database.db, tenant, '2026-10-10', {})).posted).toBe(0);
    const [m] = await q<{
      meter: string;
    }>(sql`select m.id::text as meter from meters m join accounts a on a.id = m.account_id
      where a.number = 'pd-A0000002'`);
    await q(
      sql`update consumption_daily set usage = usage + 10 where meter_id = ${m.meter}::uuid and day = '2026-10-31'`,
    );
    const fix = await deductDay(t.database.db, tenant, '2026-10-31', { meters: [m.meter] });
    expect(fix.posted).toBe(1);
    const [e] = await q<{ key: string }>(sql`select business_key as key from ledger_entries
      where meter_id = ${m.meter}::uuid order by id desc limit 1`);
    expect(e.key).toBe(`deduct:${m.meter}:2026-10-31:r1`);
    const after = await q<{ n: number }>(sql`select count(*)::int as n from ledger_entries`);
    expect(after[0].n).toBe(before[0].n + 1);
    const rows = await perAccount();
    const r = rows.find((x) => x.meter === m.meter) as Row;
    expect(r.charged).toBe(monthQuote(r.usage, r.persons));
  });
});

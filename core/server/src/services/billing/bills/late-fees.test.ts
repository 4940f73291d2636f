import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import type { Tx } from '../../../db/client.ts';
import { withTenant } from '../../../db/tenant.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { fixtureArea, fixtureBill, fixtureIssue, fixturePayment } from './bill-fixtures.ts';
import { runLateFees } from './late-fees.ts';
import { unpaidOf } from './unpaid.ts';

let t: TestDatabase;
let tenant: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tenant = (
    await createTenant(t.database.db, {
      code: 'lf',
      name: 'lf',
      adminUsername: 'admin',
      adminPassword: 'password-lf',
    })
  ).id;
});
afterAll(async () => t?.drop());

/** Runs fn in a tenant transaction that is rolled back, so the tests do not see each other's rows. */
async function scratch(fn: (tx: Tx) => Promise<void>) {
  await withTenant(t.database.db, tenant, async (tx) => {
    await fn(tx);
    await tx.execute(sql`select 1`);
    throw new Rollback();
  }).catch((e) => {
    if (!(e instanceof Rollback)) throw e;
  });
}
class Rollback extends Error {}

const lateOf = (tx: Tx, bill: string) =>
  tx.execute<{ day: string; fen: number; key: string }>(sql`
    select occurred_on::text as day, (-amount_fen)::int as fen, business_key as key from ledger_entries
    where bill_id = ${bill} and kind = 'late_fee' order by occurred_on`);

describe('unpaidOf', () => {
  it('reads what each bill owes from the allocation: a payment settles the oldest bill first', async () => {
    await scratch(async (tx) => {
      const area = await fixtureArea(tx, 'u');
      const old = await fixtureBill(tx, area, 'u1', [{ category: 'usage', fen: 10_000 }]);
      await fixtureIssue(tx, old.bill, '2026-11-15');
      const recent = await fixtureBill(tx, area, 'u1b', [{ category: 'usage', fen: 5_000 }], {
        account: old.account,
        periodFrom: '2026-11-01',
        periodTo: '2026-12-01',
      });
      await fixtureIssue(tx, recent.bill, '2026-12-15');
      await fixturePayment(tx, old.account, 12_000);
      const due = await unpaidOf(tx, [old.bill, recent.bill]);
      expect(due.get(old.bill)).toEqual({
        billId: old.bill,
        principalFen: 10_000,
        lateFeesFen: 0,
        paidFen: 10_000,
        unpaidFen: 0,
        unpaidPrincipalFen: 0,
      });
      expect(due.get(recent.bill)).toMatchObject({ principalFen: 5_000, paidFen: 2_000, unpaidFen: 3_000 });
      const held = await fixtureBill(tx, area, 'u2', [{ category: 'usage', fen: 700 }]);
      expect((await unpaidOf(tx, [held.bill])).has(held.bill)).toBe(false);
    });
  });
});

describe('runLateFees', () => {
  it('charges each overdue day once, catches up missed days and never double-charges', async () => {
    await scratch(async (tx) => {
      const area = await fixtureArea(tx, 'l');
      const b = await fixtureBill(tx, area, 'l1', [{ category: 'usage', fen: 123_456 }]);
      await fixtureIssue(tx, b.bill, '2026-11-15');
      expect(await runLateFees(tx, '2026-11-15')).toBe(0);
      expect(await runLateFees(tx, '2026-11-17')).toBe(2);
      expect(await runLateFees(tx, '2026-11-17')).toBe(0);
      expect(await runLateFees(tx, '2026-11-19')).toBe(2);
      expect(await lateOf(tx, b.bill)).toEqual(
        ['16', '17', '18', '19'].map((d) => ({
          day: `2026-11-${d}`,
          fen: 123,
          key: `late:${b.bill}:2026-11-${d}`,
        })),
      );
      const [bal] = await tx.execute<{ fen: number }>(
        sql`select balance_fen::int as fen from account_balances where account_id = ${b.account}`,
      );
      expect(bal.fen).toBe(-123_456 - 4 * 123);
    });
  });

  it('follows the tenant settings: grace days, rate, minimum and cap', async () => {
    await scratch(async (tx) => {
      await tx.execute(sql`insert into billing_settings (tenant_id, late_fee_per_mille_per_day, late_fee_grace_days,
        late_fee_cap_percent, late_fee_min_fen) values (app_tenant_id(), 3, 2, 25, 100)`);
      const area = await fixtureArea(tx, 's');
      const b = await fixtureBill(tx, area, 's1', [{ category: 'usage', fen: 1_000 }]);
      await fixtureIssue(tx, b.bill, '2026-11-15');
      expect(await runLateFees(tx, '2026-11-17')).toBe(0);
      expect(await runLateFees(tx, '2026-11-30')).toBe(3);
      // 3‰ of 10 元 is 3 fen → the 1 元 minimum; the cap 25% = 250 fen cuts the third day to 50
      expect((await lateOf(tx, b.bill)).map((r) => [r.day, r.fen])).toEqual([
        ['2026-11-18', 100],
        ['2026-11-19', 100],
        ['2026-11-20', 50],
      ]);
    });
  });

  it('accrues on what allocation leaves unpaid of the bill, not on other debts of the account', async () => {
    await scratch(async (tx) => {
      const area = await fixtureArea(tx, 'a');
      const b = await fixtureBill(tx, area, 'a1', [{ category: 'usage', fen: 1_000_000 }]);
      await fixtureIssue(tx, b.bill, '2026-11-15');
      // a deposit owed on the account, outside any bill: unnamed categories are settled last
      await tx.execute(sql`insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category,
          business_key, occurred_on)
        values (app_tenant_id(), ${b.account}, 'charge', -500000, 'deposit', 'test:deposit', '2026-10-01')`);
      await fixturePayment(tx, b.account, 400_000);
      expect((await unpaidOf(tx, [b.bill])).get(b.bill)).toMatchObject({
        paidFen: 400_000,
        unpaidFen: 600_000,
        unpaidPrincipalFen: 600_000,
      });
      expect(await runLateFees(tx, '2026-11-17')).toBe(2);
      // 1‰ of the 6,000 元 unpaid, not of the 11,000 元 the account owes in all
      expect((await lateOf(tx, b.bill)).map((r) => r.fen)).toEqual([600, 600]);
    });
  });

  it('settles a bill from credit the account held before issue, charging no fee', async () => {
    await scratch(async (tx) => {
      const area = await fixtureArea(tx, 'c');
      const b = await fixtureBill(tx, area, 'c1', [{ category: 'usage', fen: 30_000 }]);
      await fixturePayment(tx, b.account, 50_000, '2026-10-10');
      await fixtureIssue(tx, b.bill, '2026-11-15');
      expect(await runLateFees(tx, '2026-11-20')).toBe(0);
      expect((await unpaidOf(tx, [b.bill])).get(b.bill)).toMatchObject({ paidFen: 30_000, unpaidFen: 0 });
    });
  });

  it('charges nothing on paid, held or cancelled bills', async () => {
    await scratch(async (tx) => {
      const area = await fixtureArea(tx, 'p');
      const paid = await fixtureBill(tx, area, 'p1', [{ category: 'usage', fen: 50_000 }]);
      await fixtureIssue(tx, paid.bill, '2026-11-15');
      await fixturePayment(tx, paid.account, 50_000);
      const held = await fixtureBill(tx, area, 'p2', [{ category: 'usage', fen: 50_000 }]);
      await tx.execute(sql`update bills set due_date = '2026-11-15' where id = ${held.bill}`);
      const gone = await fixtureBill(tx, area, 'p3', [{ category: 'usage', fen: 50_000 }]);
      await fixtureIssue(tx, gone.bill, '2026-11-15');
      await tx.execute(sql`update bills set status = 'cancelled' where id = ${gone.bill}`);
      expect(await runLateFees(tx, '2026-11-20')).toBe(0);
    });
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { withTenant } from '../../../db/tenant.ts';
import { dbError } from '../../../http/db-errors.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { allocate, allocationsOf, openItems, postEntries, reverseEntry } from './index.ts';
import { entry, makeAccount, makeBill } from './ledger-fixtures.ts';

let t: TestDatabase;
let tenant: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tenant = (
    await createTenant(t.database.db, {
      code: 'al',
      name: 'al',
      adminUsername: 'admin',
      adminPassword: 'password-al',
    })
  ).id;
});
afterAll(async () => t?.drop());

const inTenant = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(t.database.db, tenant, fn);
const asOf = '2026-12-01';

describe('allocate', () => {
  it('settles arrears, then late fees, then fixed, then usage, oldest first, unnamed categories last', async () => {
    await inTenant(async (tx) => {
      const acc = await makeAccount(tx, 'o1');
      const overdue = await makeBill(tx, acc, '2026-09-01', '2026-10-15');
      const current = await makeBill(tx, acc, '2026-10-01', '2026-12-15');
      const [usageNew, other, fixedNew, usageOld, late, arrears] = await postEntries(tx, [
        entry(acc, 'charge', -300, 'u2', { category: 'usage', billId: current, occurredOn: '2026-10-31' }),
        entry(acc, 'charge', -50, 'o', { category: 'meter-repair', occurredOn: '2026-01-01' }),
        entry(acc, 'charge', -200, 'f2', { category: 'fixed', billId: current, occurredOn: '2026-10-31' }),
        entry(acc, 'charge', -100, 'u1', { category: 'usage', occurredOn: '2026-08-31' }),
        entry(acc, 'late_fee', -7, 'l1', { category: 'late_fee', billId: overdue, occurredOn: '2026-11-20' }),
        entry(acc, 'charge', -400, 'a1', { category: 'usage', billId: overdue, occurredOn: '2026-09-30' }),
      ]);
      await postEntries(tx, [entry(acc, 'payment', 600, 'pay:1', { occurredOn: '2026-11-25' })]);
      const r = await allocate(tx, acc, { asOf });
      expect(r.allocations.map((a) => [a.debitEntryId, a.amountFen])).toEqual([
        [arrears.id, 400],
        [late.id, 7],
        [fixedNew.id, 193],
      ]);
      expect(r).toMatchObject({ openFen: 457, freeCreditFen: 0 });
      const open = await openItems(tx, acc, { asOf });
      expect(open.map((d) => [d.id, d.bucket, d.openFen, d.settledFen])).toEqual([
        [fixedNew.id, 'fixed', 7, 193],
        [usageOld.id, 'usage', 100, 0],
        [usageNew.id, 'usage', 300, 0],
        [other.id, 'meter-repair', 50, 0],
      ]);
      // idempotent: nothing new to settle
      expect((await allocate(tx, acc, { asOf })).allocations).toEqual([]);
    });
  });

  it('follows a tenant order that puts usage first', async () => {
    await inTenant(async (tx) => {
      await tx.execute(
        sql`insert into billing_settings (tenant_id, allocation_order) values (app_tenant_id(), '{usage,fixed}')`,
      );
      const acc = await makeAccount(tx, 'o2');
      const [fixed, usage] = await postEntries(tx, [
        entry(acc, 'charge', -100, 'o2f', { category: 'fixed' }),
        entry(acc, 'charge', -100, 'o2u', { category: 'usage' }),
        entry(acc, 'topup', 150, 'o2t'),
      ]);
      const r = await allocate(tx, acc, { asOf });
      expect(r.allocations.map((a) => [a.debitEntryId, a.amountFen])).toEqual([
        [usage.id, 100],
        [fixed.id, 50],
      ]);
      await tx.execute(sql`delete from billing_settings`);
    });
  });

  it('un-allocates a reversed payment and frees what a reversed charge had taken', async () => {
    await inTenant(async (tx) => {
      const acc = await makeAccount(tx, 'o3');
      const [c1, c2, p1] = await postEntries(tx, [
        entry(acc, 'charge', -500, 'o3c1', { category: 'usage', occurredOn: '2026-10-01' }),
        entry(acc, 'charge', -300, 'o3c2', { category: 'usage', occurredOn: '2026-11-01' }),
        entry(acc, 'payment', 500, 'pay:o3', { occurredOn: '2026-11-02' }),
      ]);
      await allocate(tx, acc, { asOf });
      expect(await allocationsOf(tx, acc)).toEqual([
        { creditEntryId: p1.id, debitEntryId: c1.id, amountFen: 500 },
      ]);
      await reverseEntry(tx, c1.id, { reason: '错账', by: null });
      expect(await allocationsOf(tx, acc)).toEqual([]);
      const r = await allocate(tx, acc, { asOf });
      expect(r.allocations).toEqual([{ creditEntryId: p1.id, debitEntryId: c2.id, amountFen: 300 }]);
      expect(r).toMatchObject({ openFen: 0, freeCreditFen: 200 });
      await reverseEntry(tx, p1.id, { reason: '误收', by: null });
      expect(await allocationsOf(tx, acc)).toEqual([]);
      const open = await openItems(tx, acc, { asOf });
      expect(open.map((d) => [d.id, d.openFen])).toEqual([[c2.id, 300]]);
    });
  });

  it('the table refuses over-settling a debit, over-spending a credit and wrong pairs (LEDGER_ALLOCATION_INVALID)', async () => {
    await inTenant(async (tx) => {
      const acc = await makeAccount(tx, 'o4');
      const other = await makeAccount(tx, 'o4b');
      const [c, p, p2, cOther] = await postEntries(tx, [
        entry(acc, 'charge', -100, 'o4c'),
        entry(acc, 'payment', 500, 'o4p'),
        entry(acc, 'payment', 50, 'o4p2'),
        entry(other, 'charge', -100, 'o4x'),
      ]);
      const tryInsert = async (account: string, credit: string, debit: string, fen: number) => {
        try {
          await tx.transaction((sp) =>
            sp.execute(sql`insert into ledger_allocations (tenant_id, account_id, credit_entry_id, debit_entry_id, amount_fen)
              values (app_tenant_id(), ${account}, ${credit}::bigint, ${debit}::bigint, ${fen})`),
          );
          return 'ok';
        } catch (e) {
          return dbError(e)?.code ?? String(e);
        }
      };
      expect(await tryInsert(acc, p.id, c.id, 101)).toBe('LEDGER_ALLOCATION_INVALID');
      expect(await tryInsert(acc, p2.id, c.id, 60)).toBe('LEDGER_ALLOCATION_INVALID');
      expect(await tryInsert(acc, c.id, p.id, 10)).toBe('LEDGER_ALLOCATION_INVALID');
      expect(await tryInsert(acc, p.id, cOther.id, 10)).toBe('LEDGER_ALLOCATION_INVALID');
      expect(await tryInsert(acc, p.id, c.id, 60)).toBe('ok');
      expect(await tryInsert(acc, p2.id, c.id, 41)).toBe('LEDGER_ALLOCATION_INVALID');
      expect(await tryInsert(acc, p2.id, c.id, 40)).toBe('ok');
      expect(await allocationsOf(tx, acc)).toEqual([
        { creditEntryId: p.id, debitEntryId: c.id, amountFen: 60 },
        { creditEntryId: p2.id, debitEntryId: c.id, amountFen: 40 },
      ]);
    });
  });

  it('concurrent allocate calls for one account settle each debit once', async () => {
    const acc = await inTenant(async (tx) => {
      const a = await makeAccount(tx, 'o5');
      await postEntries(tx, [
        entry(a, 'charge', -100, 'o5c1', { category: 'usage' }),
        entry(a, 'charge', -100, 'o5c2', { category: 'usage' }),
        entry(a, 'payment', 150, 'o5p'),
      ]);
      return a;
    });
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => inTenant((tx) => allocate(tx, acc, { asOf }))),
    );
    expect(runs.map((r) => r.allocations.length).sort()).toEqual([0, 0, 0, 2]);
    const total = await inTenant((tx) => allocationsOf(tx, acc));
    expect(total.map((a) => a.amountFen)).toEqual([100, 50]);
  });
});

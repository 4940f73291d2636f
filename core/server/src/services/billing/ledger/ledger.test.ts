import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { withTenant } from '../../../db/tenant.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { balanceOf, checkLedger, postEntries, reverseEntry } from './index.ts';
import { entry, makeAccount } from './ledger-fixtures.ts';

let t: TestDatabase;
let tenant: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tenant = (
    await createTenant(t.database.db, {
      code: 'lg',
      name: 'lg',
      adminUsername: 'admin',
      adminPassword: 'password-lg',
    })
  ).id;
});
afterAll(async () => t?.drop());

const inTenant = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(t.database.db, tenant, fn);

/** Error code of a rejected promise. */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'resolved';
}

describe('postEntries', () => {
  it('posts once per business key and returns the stored entry with created: false on a retry', async () => {
    await inTenant(async (tx) => {
      const acc = await makeAccount(tx, 'p1');
      const first = await postEntries(tx, [
        entry(acc, 'charge', -4570, 'bill:x:usage', { category: 'usage' }),
        entry(acc, 'payment', 2000, 'pay:1'),
      ]);
      expect(first.map((e) => [e.kind, e.amountFen, e.category, e.created])).toEqual([
        ['charge', -4570, 'usage', true],
        ['payment', 2000, '', true],
      ]);
      const again = await postEntries(tx, [
        entry(acc, 'payment', 2000, 'pay:1'),
        entry(acc, 'payment', 500, 'pay:2'),
        entry(acc, 'payment', 500, 'pay:2'),
      ]);
      expect(again.map((e) => [e.id === first[1].id, e.businessKey, e.created])).toEqual([
        [true, 'pay:1', false],
        [false, 'pay:2', true],
        [false, 'pay:2', false],
      ]);
      expect(await balanceOf(tx, acc)).toEqual({ balanceFen: -2070, entryCount: 3 });
    });
  });

  it('refuses a known key with another amount, kind or account (LEDGER_KEY_CONFLICT) and writes nothing', async () => {
    await inTenant(async (tx) => {
      const acc = await makeAccount(tx, 'p2');
      const other = await makeAccount(tx, 'p2b');
      await postEntries(tx, [entry(acc, 'payment', 100, 'pay:k')]);
      for (const e of [
        entry(acc, 'payment', 101, 'pay:k'),
        entry(acc, 'topup', 100, 'pay:k'),
        entry(other, 'payment', 100, 'pay:k'),
      ]) {
        await tx.execute(sql`savepoint s`);
        expect(await codeOf(postEntries(tx, [e]))).toBe('LEDGER_KEY_CONFLICT');
        await tx.execute(sql`rollback to savepoint s`);
      }
      expect(await balanceOf(tx, acc)).toEqual({ balanceFen: 100, entryCount: 1 });
      expect(await balanceOf(tx, other)).toEqual({ balanceFen: 0, entryCount: 0 });
    });
  });

  it('refuses wrong signs, reversals, fractional or huge amounts and empty keys (LEDGER_ENTRY_INVALID)', async () => {
    await inTenant(async (tx) => {
      const acc = await makeAccount(tx, 'p3');
      const bad = [
        entry(acc, 'payment', -1, 'b1'),
        entry(acc, 'charge', 1, 'b2'),
        entry(acc, 'adjustment', 0, 'b3'),
        entry(acc, 'late_fee', 5, 'b4'),
        { ...entry(acc, 'payment', 1, 'b5'), kind: 'reversal' as never },
        entry(acc, 'payment', 1.5, 'b6'),
        entry(acc, 'payment', 100_000_000_001, 'b7'),
        entry(acc, 'payment', 1, ''),
        entry(acc, 'payment', 1, 'x'.repeat(201)),
        entry(acc, 'payment', 1, 'b8', { occurredOn: '2026/11/01' }),
        entry(acc, 'payment', 1, 'b9', { memo: 'a\u0000b' }),
      ];
      for (const e of bad)
        expect(await codeOf(postEntries(tx, [entry(acc, 'payment', 1, 'ok'), e]))).toBe(
          'LEDGER_ENTRY_INVALID',
        );
      expect(await balanceOf(tx, acc)).toEqual({ balanceFen: 0, entryCount: 0 });
    });
  });
});

describe('reverseEntry', () => {
  it('posts −amount under rev:<id> once, and refuses a second reversal and reversing a reversal', async () => {
    await inTenant(async (tx) => {
      const acc = await makeAccount(tx, 'r1');
      const [charge] = await postEntries(tx, [entry(acc, 'charge', -1234, 'c:1', { category: 'fixed' })]);
      const rev = await reverseEntry(tx, charge.id, { reason: '抄错表', by: null, occurredOn: '2026-11-05' });
      expect(rev).toMatchObject({
        kind: 'reversal',
        amountFen: 1234,
        category: 'fixed',
        businessKey: `rev:${charge.id}`,
        reverses: charge.id,
        occurredOn: '2026-11-05',
        memo: '抄错表',
      });
      expect(await balanceOf(tx, acc)).toEqual({ balanceFen: 0, entryCount: 2 });
      expect(await codeOf(reverseEntry(tx, charge.id, { reason: 'again', by: null }))).toBe(
        'LEDGER_ALREADY_REVERSED',
      );
      expect(await codeOf(reverseEntry(tx, rev.id, { reason: 'undo', by: null }))).toBe(
        'LEDGER_NOT_REVERSIBLE',
      );
      expect(await codeOf(reverseEntry(tx, '999999999', { reason: 'x', by: null }))).toBe(
        'RESOURCE_NOT_FOUND',
      );
      expect(await balanceOf(tx, acc)).toEqual({ balanceFen: 0, entryCount: 2 });
    });
  });
});

describe('checkLedger', () => {
  it('finds a balance that differs from its entries and entries without a balance row', async () => {
    const [acc, empty] = await inTenant(async (tx) => {
      const a = await makeAccount(tx, 'k1');
      await postEntries(tx, [entry(a, 'payment', 300, 'k1:1'), entry(a, 'charge', -100, 'k1:2')]);
      return [a, await makeAccount(tx, 'k2')];
    });
    expect(await inTenant((tx) => checkLedger(tx, { accountIds: [acc, empty] }))).toEqual({
      checkedAccounts: 1,
      mismatches: [],
    });
    // the owner tampers with the cache, as only a bug or a hand-made UPDATE could
    await t.database.sql`update account_balances set balance_fen = 250 where account_id = ${acc}`;
    const found = await inTenant((tx) => checkLedger(tx));
    expect(found.mismatches).toEqual([
      { accountId: acc, cachedFen: 250, cachedCount: 2, entriesFen: 200, entriesCount: 2 },
    ]);
    await t.database.sql`update account_balances set balance_fen = 200 where account_id = ${acc}`;
    await t.database.sql`delete from account_balances where account_id = ${acc}`;
    const missing = await inTenant((tx) => checkLedger(tx, { accountIds: [acc] }));
    expect(missing.mismatches).toEqual([
      { accountId: acc, cachedFen: null, cachedCount: null, entriesFen: 200, entriesCount: 2 },
    ]);
  });
});

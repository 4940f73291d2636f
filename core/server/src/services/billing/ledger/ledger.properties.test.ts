import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import type { Tx } from '../../../db/client.ts';
import { withTenant } from '../../../db/tenant.ts';
import { createTenant } from '../../tenants/tenants.ts';
import type { PostableKind } from './entry.ts';
import { allocate, openItems, postEntries, reverseEntry } from './index.ts';
import { entry, makeAccount } from './ledger-fixtures.ts';
import { expectLedgerInvariants } from './ledger-invariants.ts';

/**
 * Property tests of the ledger against real PostgreSQL ("Must show" of issue #10): the balance equals
 * the sum of its entries after any random sequence of postings, reversals, duplicate business keys
 * and concurrent payments, and allocation never over-settles, never over-spends and keeps the order.
 */
let t: TestDatabase;
let tenant: string;
let seq = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  tenant = (
    await createTenant(t.database.db, {
      code: 'lp',
      name: 'lp',
      adminUsername: 'admin',
      adminPassword: 'password-lp',
    })
  ).id;
});
afterAll(async () => t?.drop());

const inTenant = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(t.database.db, tenant, fn);
const accounts = (n: number) =>
  inTenant(async (tx) => Promise.all(Array.from({ length: n }, () => makeAccount(tx, `p${++seq}`))));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

const signed: Record<PostableKind, (fen: number) => number> = {
  charge: (f) => -f,
  late_fee: (f) => -f,
  refund: (f) => -f,
  payment: (f) => f,
  topup: (f) => f,
  adjustment: (f) => f,
};

const postOp = fc.record({
  op: fc.constant('post' as const),
  acc: fc.nat(2),
  kind: fc.constantFrom<PostableKind>('charge', 'payment', 'topup', 'adjustment', 'late_fee', 'refund'),
  fen: fc.integer({ min: 1, max: 100_000 }),
  credit: fc.boolean(),
  // few keys, so retries of the same fact and clashes of different facts both happen
  key: fc.nat(12),
  category: fc.constantFrom('usage', 'fixed', 'deposit'),
});
const reverseOp = fc.record({ op: fc.constant('reverse' as const), pick: fc.nat(1000) });
const allocateOp = fc.record({ op: fc.constant('allocate' as const), acc: fc.nat(2) });

interface ModelEntry {
  id: string;
  acc: number;
  kind: string;
  fen: number;
  reversed: boolean;
}

describe('ledger properties (fast-check, real PostgreSQL)', () => {
  it('property: after any sequence of postings, duplicate keys and reversals the cached balance equals the sum of entries and the model', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(postOp, postOp, reverseOp, allocateOp), { maxLength: 25 }),
        async (ops) => {
          const accs = await accounts(3);
          const run = ++seq;
          const byKey = new Map<string, { acc: number; kind: string; fen: number }>();
          const model: ModelEntry[] = [];
          for (const o of ops) {
            if (o.op === 'post') {
              const kind = o.kind;
              const fen = kind === 'adjustment' && !o.credit ? -o.fen : signed[kind](o.fen);
              const key = `r${run}:${o.key}`;
              const known = byKey.get(key);
              const code = await codeOf(
                inTenant((tx) =>
                  postEntries(tx, [entry(accs[o.acc], kind, fen, key, { category: o.category })]),
                ),
              );
              if (!known) {
                expect(code).toBe('ok');
                byKey.set(key, { acc: o.acc, kind, fen });
                const [row] = await inTenant((tx) =>
                  tx.execute<{ id: string }>(
                    sql`select id::text from ledger_entries where business_key = ${key}`,
                  ),
                );
                model.push({ id: row.id, acc: o.acc, kind, fen, reversed: false });
              } else if (known.acc === o.acc && known.kind === kind && known.fen === fen)
                expect(code).toBe('ok');
              else expect(code).toBe('LEDGER_KEY_CONFLICT');
            } else if (o.op === 'reverse') {
              if (model.length === 0) continue;
              const target = model[o.pick % model.length];
              const code = await codeOf(
                inTenant((tx) => reverseEntry(tx, target.id, { reason: 'p', by: null })),
              );
              if (target.kind === 'reversal') expect(code).toBe('LEDGER_NOT_REVERSIBLE');
              else if (target.reversed) expect(code).toBe('LEDGER_ALREADY_REVERSED');
              else {
                expect(code).toBe('ok');
                target.reversed = true;
                const [row] = await inTenant((tx) =>
                  tx.execute<{ id: string }>(
                    sql`select id::text from ledger_entries where reverses = ${target.id}::bigint`,
                  ),
                );
                model.push({
                  id: row.id,
                  acc: target.acc,
                  kind: 'reversal',
                  fen: -target.fen,
                  reversed: false,
                });
              }
            } else await inTenant((tx) => allocate(tx, accs[o.acc]));
          }
          for (const a of accs) await inTenant((tx) => allocate(tx, a));
          const expected = new Map(
            accs.map((a, i) => {
              const mine = model.filter((m) => m.acc === i);
              return [a, { fen: mine.reduce((s, m) => s + m.fen, 0), count: mine.length }];
            }),
          );
          await inTenant((tx) => expectLedgerInvariants(tx, expected));
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);

  it('property: concurrent payments from several connections, retried on overlapping keys, post each once and keep the balance', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ acc: fc.nat(1), fen: fc.integer({ min: 1, max: 50_000 }) }), {
          minLength: 1,
          maxLength: 16,
        }),
        fc.array(fc.array(fc.nat(15), { maxLength: 10 }), { minLength: 2, maxLength: 4 }),
        async (charges, payments, workers) => {
          const accs = await accounts(2);
          const run = ++seq;
          await inTenant((tx) =>
            postEntries(
              tx,
              charges.map((fen, i) =>
                entry(accs[i % 2], 'charge', -fen, `r${run}:c${i}`, { category: 'usage' }),
              ),
            ),
          );
          // every payment is posted by at least one worker; the workers' extra picks retry some of them
          const plan = workers.map((picks, w) =>
            [...picks, ...payments.keys()].filter(
              (i) => i < payments.length && (picks.includes(i) || i % workers.length === w),
            ),
          );
          await Promise.all(
            plan.map(async (picks) => {
              for (const i of picks) {
                const pay = payments[i];
                await inTenant(async (tx) => {
                  await postEntries(tx, [entry(accs[pay.acc], 'payment', pay.fen, `pay:r${run}:${i}`)]);
                  await allocate(tx, accs[pay.acc]);
                });
              }
            }),
          );
          const expected = new Map(
            accs.map((a, k) => {
              const ch = charges.filter((_, i) => i % 2 === k);
              const pay = payments.filter((p) => p.acc === k);
              return [
                a,
                {
                  fen: pay.reduce((s, p) => s + p.fen, 0) - ch.reduce((s, f) => s + f, 0),
                  count: ch.length + pay.length,
                },
              ];
            }),
          );
          for (const a of accs) await inTenant((tx) => allocate(tx, a));
          await inTenant((tx) => expectLedgerInvariants(tx, expected));
        },
      ),
      { numRuns: 15 },
    );
  }, 240_000);

  it('property: one allocation settles the debits as a prefix of the tenant order (arrears, late fees, categories, unnamed last, oldest first)', async () => {
    const buckets = ['arrears', 'late_fee', 'fixed', 'usage', 'other'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom<string>('arrears', 'late_fee', 'fixed', 'usage'), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(
          fc.record({
            bucket: fc.constantFrom(...buckets),
            fen: fc.integer({ min: 1, max: 900 }),
            day: fc.integer({ min: 1, max: 28 }),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 3 }),
        async (order, debits, credits) => {
          const [acc] = await accounts(1);
          const run = ++seq;
          await inTenant(async (tx) => {
            await tx.execute(sql`insert into billing_settings (tenant_id, allocation_order) values (app_tenant_id(), ${`{${order.join(',')}}`}::text[])
              on conflict (tenant_id) do update set allocation_order = excluded.allocation_order`);
            const [overdue] = await tx.execute<{ id: string }>(sql`
              insert into bills (tenant_id, account_id, area_id, period_from, period_to, status, total_fen, due_date)
              select app_tenant_id(), a.id, c.area_id, '2026-09-01', '2026-10-01', 'issued', 0, '2026-10-15'
              from accounts a join customers c on c.id = a.customer_id where a.id = ${acc} returning id`);
            await postEntries(
              tx,
              debits.map((d, i) =>
                entry(acc, d.bucket === 'late_fee' ? 'late_fee' : 'charge', -d.fen, `r${run}:d${i}`, {
                  category: d.bucket === 'arrears' ? 'usage' : d.bucket,
                  billId: d.bucket === 'arrears' ? overdue.id : null,
                  occurredOn: `2026-10-${String(d.day).padStart(2, '0')}`,
                }),
              ),
            );
            await postEntries(
              tx,
              credits.map((fen, i) => entry(acc, 'payment', fen, `r${run}:p${i}`)),
            );
          });
          const before = await inTenant((tx) => openItems(tx, acc, { asOf: '2026-12-01' }));
          await inTenant((tx) => allocate(tx, acc, { asOf: '2026-12-01' }));
          const after = new Map(
            (await inTenant((tx) => openItems(tx, acc, { asOf: '2026-12-01' }))).map((d) => [
              d.id,
              d.openFen,
            ]),
          );
          // model: the settling order computed independently, then the credits poured through it
          const rank = (b: string) => (order.indexOf(b) < 0 ? order.length : order.indexOf(b));
          const modelOrder = [...before].sort(
            (x, y) =>
              rank(x.bucket) - rank(y.bucket) ||
              x.occurredOn.localeCompare(y.occurredOn) ||
              Number(BigInt(x.id) - BigInt(y.id)),
          );
          expect(before.map((d) => d.id)).toEqual(modelOrder.map((d) => d.id));
          let pool = credits.reduce((s, c) => s + c, 0);
          for (const d of modelOrder) {
            const paid = Math.min(pool, d.amountFen);
            pool -= paid;
            expect(after.get(d.id) ?? 0).toBe(d.amountFen - paid);
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);
});

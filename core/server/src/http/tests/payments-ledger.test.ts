import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { fixtureBill, fixtureIssue } from '../../services/billing/bills/bill-fixtures.ts';
import { unpaidOf } from '../../services/billing/bills/unpaid.ts';
import { type Area, demoAreas, inDemo, userWith } from './archive-fixtures.ts';
import { customerWithAccount, key, moneyCounts } from './payment-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let cashier: Client;
let approver: Client;
let areas: Record<string, Area>;
let accountId: string;
let older: string;
let newer: string;

/** What each of the account's charges has had allocated to it, by bill. */
const settledByBill = () =>
  inDemo(p, (tx) =>
    tx.execute<{ bill: string; fen: number }>(sql`
      select e.bill_id::text as bill, coalesce(sum(a.amount_fen), 0)::int as fen
      from ledger_entries e left join ledger_allocations a on a.debit_entry_id = e.id
      where e.account_id = ${accountId} and e.kind = 'charge'
      group by e.bill_id order by min(e.occurred_on)`),
  );

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  accountId = (await customerWithAccount(admin, areas['1单元'].id, 'FOLD-1')).accountId;
  await inDemo(p, async (tx) => {
    // issued in reverse order: the newer bill's charge gets the smaller entry id
    const n = await fixtureBill(tx, areas['1单元'].id, 'fold-n', [{ category: 'usage', fen: 4_000 }], {
      account: accountId,
      periodFrom: '2026-11-01',
      periodTo: '2026-12-01',
    });
    await fixtureIssue(tx, n.bill, '2026-12-15');
    const o = await fixtureBill(tx, areas['1单元'].id, 'fold-o', [{ category: 'usage', fen: 5_000 }], {
      account: accountId,
    });
    await fixtureIssue(tx, o.bill, '2026-11-15');
    older = o.bill;
    newer = n.bill;
  });
  cashier = await userWith(p, admin, 'foldcashier', ['payments.collect', 'payments.read', 'customers.read']);
  approver = await userWith(p, admin, 'foldapprover', ['payments.read', 'payments.reverse.approve']);
  expect((await cashier.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
});
afterAll(async () => p?.stop());

describe('counter payments on the one ledger', () => {
  let payment: { id: string; ledgerEntryId: string };

  it('a counter payment settles the oldest bill first (arrears before current, default order)', async () => {
    const r = await cashier.post('/api/v1/payments', {
      accountId,
      method: 'cash',
      amountFen: 6_000,
      idempotencyKey: key(),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    payment = r.body;
    const [entry] = await inDemo(p, (tx) =>
      tx.execute<{ kind: string; category: string; key: string; fen: number }>(sql`
        select kind, category, business_key as key, amount_fen::int as fen from ledger_entries
        where id = ${payment.ledgerEntryId}::bigint`),
    );
    expect(entry).toEqual({ kind: 'payment', category: 'payment', key: `pay:${payment.id}`, fen: 6_000 });
    expect(await settledByBill()).toEqual([
      { bill: older, fen: 5_000 },
      { bill: newer, fen: 1_000 },
    ]);
    const due = await inDemo(p, (tx) => unpaidOf(tx, [older, newer]));
    expect(due.get(older)).toMatchObject({ paidFen: 5_000, unpaidFen: 0, unpaidPrincipalFen: 0 });
    expect(due.get(newer)).toMatchObject({ paidFen: 1_000, unpaidFen: 3_000, unpaidPrincipalFen: 3_000 });
  });

  it('the generic ledger reversal refuses a counter payment’s entries, writing nothing', async () => {
    const before = await moneyCounts(p);
    const r = await admin.post(`/api/v1/ledger-entries/${payment.ledgerEntryId}/reversal`, {
      reason: '绕过审批',
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('LEDGER_REVERSAL_VIA_PAYMENT');
    expect(await moneyCounts(p)).toEqual(before);
    expect(await settledByBill()).toEqual([
      { bill: older, fen: 5_000 },
      { bill: newer, fen: 1_000 },
    ]);
  });

  it('an approved payment reversal releases what the payment settled; its reversal is refused too', async () => {
    const asked = await cashier.post(`/api/v1/payments/${payment.id}/reversal-requests`, {
      reason: '收错户',
    });
    expect(asked.status).toBe(201);
    const approved = await approver.post(`/api/v1/payment-reversals/${asked.body.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(await settledByBill()).toEqual([
      { bill: older, fen: 0 },
      { bill: newer, fen: 0 },
    ]);
    const [rev] = await inDemo(p, (tx) =>
      tx.execute<{ key: string; fen: number; payment: string }>(sql`
        select business_key as key, amount_fen::int as fen, payment_id::text as payment from ledger_entries
        where id = ${approved.body.reversal.ledgerEntryId}::bigint`),
    );
    expect(rev).toEqual({ key: `rev:${payment.ledgerEntryId}`, fen: -6_000, payment: payment.id });
    const before = await moneyCounts(p);
    const again = await admin.post(
      `/api/v1/ledger-entries/${approved.body.reversal.ledgerEntryId}/reversal`,
      {
        reason: 'x',
      },
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('LEDGER_REVERSAL_VIA_PAYMENT');
    expect(await moneyCounts(p)).toEqual(before);
    const due = await inDemo(p, (tx) => unpaidOf(tx, [older, newer]));
    expect(due.get(older)).toMatchObject({ paidFen: 0, unpaidFen: 5_000 });
    expect(due.get(newer)).toMatchObject({ paidFen: 0, unpaidFen: 4_000 });
  });

  it('cancelling a bill frees what its charge had taken, and allocation settles the next bill with it', async () => {
    const r = await cashier.post('/api/v1/payments', {
      accountId,
      method: 'cash',
      amountFen: 5_000,
      idempotencyKey: key(),
    });
    expect(r.status).toBe(201);
    expect(await settledByBill()).toEqual([
      { bill: older, fen: 5_000 },
      { bill: newer, fen: 0 },
    ]);
    const c = await admin.post(`/api/v1/bills/${older}/cancel`, { reason: '抄表错误' });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(await settledByBill()).toEqual([
      { bill: older, fen: 0 },
      { bill: newer, fen: 4_000 },
    ]);
    const due = await inDemo(p, (tx) => unpaidOf(tx, [older, newer]));
    expect(due.has(older)).toBe(false);
    expect(due.get(newer)).toMatchObject({ paidFen: 4_000, unpaidFen: 0 });
  });
});

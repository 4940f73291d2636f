import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { type Area, demoAreas, inDemo, userWith } from './archive-fixtures.ts';
import { balanceOf, charge, customerWithAccount, key, meterOf, moneyCounts } from './payment-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let cashier: Client;
let approver: Client;
let areas: Record<string, Area>;
let acct: { customerId: string; accountId: string };
let shiftId: string;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  acct = await customerWithAccount(admin, areas['1单元'].id, '001', '13812345678');
  await meterOf(p, admin, areas['1单元'].id, acct.accountId, 'WM-COUNTER-77');
  await charge(p, acct.accountId, 12345);
  cashier = await userWith(p, admin, 'cashier1', ['payments.collect', 'payments.read', 'customers.read']);
  approver = await userWith(p, admin, 'approver1', ['payments.read', 'payments.reverse.approve']);
});
afterAll(async () => p?.stop());

describe('the counter flow', () => {
  it('refuses a payment before the cashier opens a shift, writing nothing', async () => {
    const before = await moneyCounts(p);
    const r = await cashier.post('/api/v1/payments', {
      accountId: acct.accountId,
      method: 'cash',
      amountFen: 100,
      tenderedFen: 100,
      idempotencyKey: key(),
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('PAY_SHIFT_NOT_OPEN');
    expect(await moneyCounts(p)).toEqual(before);
  });

  it('opens one shift per cashier', async () => {
    const opened = await cashier.post('/api/v1/cashier-shifts', { openingFloatFen: 20000 });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', openingFloatFen: '20000', cashierName: 'cashier1' });
    shiftId = opened.body.id;
    const again = await cashier.post('/api/v1/cashier-shifts', { openingFloatFen: 0 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PAY_SHIFT_ALREADY_OPEN');
    const current = await cashier.get('/api/v1/cashier-shifts/current');
    expect(current.body.shift.id).toBe(shiftId);
  });

  it('finds the account by account, customer, phone (in full only) and meter number, with what it owes', async () => {
    const expected = {
      accountId: acct.accountId,
      accountNumber: 'PA-001',
      customerNumber: 'PC-001',
      balanceFen: '-12345',
      owedFen: '12345',
      meters: ['WM-COUNTER-77'],
      // cashier1 lacks customers.pii: the phone is masked in the answer
      phone: '138****5678',
    };
    for (const q of ['PA-001', 'PC-001', '13812345678', 'WM-COUNTER-77', 'COUNTER-77']) {
      const r = await cashier.get(`/api/v1/counter/lookup?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
      expect(r.body.items, q).toEqual([expect.objectContaining(expected)]);
    }
    // a phone fragment never matches, so masked digits cannot be probed
    const fragment = await cashier.get('/api/v1/counter/lookup?q=12345678');
    expect(fragment.body.items).toEqual([]);
  });

  it('takes cash with change, posts one ledger payment in the same transaction, and replays a double submit', async () => {
    const k = key();
    const body = {
      accountId: acct.accountId,
      method: 'cash',
      amountFen: 12345,
      tenderedFen: 20000,
      idempotencyKey: k,
    };
    const before = await moneyCounts(p);
    const [a, b] = await Promise.all([
      cashier.post('/api/v1/payments', body),
      cashier.post('/api/v1/payments', body),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect([a.body.replayed, b.body.replayed].sort()).toEqual([false, true]);
    expect(a.body).toMatchObject({
      method: 'cash',
      amountFen: '12345',
      tenderedFen: '20000',
      changeFen: '7655',
      status: 'posted',
      shiftId,
      cashierName: 'cashier1',
    });
    const after = await moneyCounts(p);
    expect(after.payments - before.payments).toBe(1);
    expect(after.entries - before.entries).toBe(1);
    const entry = await inDemo(p, (tx) =>
      tx.execute(sql`select kind, amount_fen::text, business_key, payment_id from ledger_entries
        where id = ${a.body.ledgerEntryId}::bigint`),
    );
    expect(entry).toEqual([
      { kind: 'payment', amount_fen: '12345', business_key: `pay:${a.body.id}`, payment_id: a.body.id },
    ]);
    expect(await balanceOf(p, acct.accountId)).toEqual({ cached: '0', summed: '0' });
    // one 缴费成功 notice for the payment, though it was submitted twice
    const notices = await inDemo(p, (tx) =>
      tx.execute(sql`select message_id, event, recipient, body from notify_outbox
        where account_id = ${acct.accountId} and event = 'payment-received'`),
    );
    expect(notices).toEqual([
      {
        message_id: `pay:${a.body.id}:sms`,
        event: 'payment-received',
        recipient: '13812345678',
        body: expect.stringMatching(/缴费123\.45元，当前余额0\.00元/),
      },
    ]);
    const reused = await cashier.post('/api/v1/payments', { ...body, amountFen: 100 });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('PAY_IDEMPOTENCY_CONFLICT');
    expect(await moneyCounts(p)).toEqual(after);
  });

  it('refuses short cash and a card payment without its terminal receipt number', async () => {
    const before = await moneyCounts(p);
    const short = await cashier.post('/api/v1/payments', {
      accountId: acct.accountId,
      method: 'cash',
      amountFen: 5000,
      tenderedFen: 4999,
      idempotencyKey: key(),
    });
    expect(short.status).toBe(422);
    expect(short.body.error.code).toBe('PAY_TENDER_SHORT');
    const card = await cashier.post('/api/v1/payments', {
      accountId: acct.accountId,
      method: 'card',
      amountFen: 5000,
      idempotencyKey: key(),
    });
    expect(card.status).toBe(400);
    expect(card.body.error.code).toBe('REQ_VALIDATION');
    expect(await moneyCounts(p)).toEqual(before);
  });

  it('takes a card payment with its terminal reference and no change', async () => {
    const r = await cashier.post('/api/v1/payments', {
      accountId: acct.accountId,
      method: 'card',
      amountFen: 3000,
      terminalRef: 'T-000123',
      idempotencyKey: key(),
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      method: 'card',
      amountFen: '3000',
      tenderedFen: null,
      changeFen: '0',
      terminalRef: 'T-000123',
    });
  });

  it('prints a zh-CN receipt with 元 to two decimals and the 大写 amount', async () => {
    const list = await cashier.get(`/api/v1/payments?accountId=${acct.accountId}&method=cash`);
    const id = list.body.items[0].id;
    const res = await fetch(`${p.baseUrl}/api/v1/payments/${id}/receipt`, {
      headers: { cookie: cashier.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('¥123.45');
    expect(html).toContain('人民币壹佰贰拾叁元肆角伍分');
    expect(html).toContain('<td>200.00</td>');
    expect(html).toContain('<td>76.55</td>');
    expect(html).toContain('PA-001');
  });

  it('reverses a payment only with a second person’s approval', async () => {
    const cash = (await cashier.get(`/api/v1/payments?accountId=${acct.accountId}&method=cash`)).body
      .items[0];
    const asked = await cashier.post(`/api/v1/payments/${cash.id}/reversal-requests`, { reason: '收错户' });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      status: 'pending',
      paymentId: cash.id,
      reason: '收错户',
      requestedByName: 'cashier1',
    });
    const twice = await cashier.post(`/api/v1/payments/${cash.id}/reversal-requests`, { reason: 'again' });
    expect(twice.body.error.code).toBe('PAY_NOT_REVERSIBLE');

    // the admin holds every permission, but asks and then may not approve their own request
    const card = (await cashier.get(`/api/v1/payments?accountId=${acct.accountId}&method=card`)).body
      .items[0];
    const own = await admin.post(`/api/v1/payments/${card.id}/reversal-requests`, { reason: '重复刷卡' });
    const before = await moneyCounts(p);
    const self = await admin.post(`/api/v1/payment-reversals/${own.body.id}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('PAY_REVERSAL_SELF_APPROVAL');
    expect(await moneyCounts(p)).toEqual(before);
    const rejected = await approver.post(`/api/v1/payment-reversals/${own.body.id}/reject`, {
      note: '核实无误',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', approvedByName: 'approver1' });
    expect((await cashier.get(`/api/v1/payments/${card.id}`)).body.status).toBe('posted');

    const approved = await approver.post(`/api/v1/payment-reversals/${asked.body.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body.payment.status).toBe('reversed');
    expect(approved.body.reversal).toMatchObject({ status: 'approved', approvedByName: 'approver1' });
    const rev = await inDemo(p, (tx) =>
      tx.execute(sql`select kind, amount_fen::text, business_key, reverses::text from ledger_entries
        where id = ${approved.body.reversal.ledgerEntryId}::bigint`),
    );
    expect(rev).toEqual([
      {
        kind: 'reversal',
        amount_fen: '-12345',
        business_key: `rev:${cash.ledgerEntryId}`,
        reverses: cash.ledgerEntryId,
      },
    ]);
    // -12345 charge + 12345 cash − 12345 reversed + 3000 card
    expect(await balanceOf(p, acct.accountId)).toEqual({ cached: '-9345', summed: '-9345' });
    const decided = await approver.post(`/api/v1/payment-reversals/${asked.body.id}/approve`, {});
    expect(decided.status).toBe(409);
    expect(decided.body.error.code).toBe('PAY_REVERSAL_DECIDED');
  });

  it('closes the shift with hand-over totals: expected cash = float + cash − cash reversed', async () => {
    await cashier.post('/api/v1/payments', {
      accountId: acct.accountId,
      method: 'cash',
      amountFen: 1000,
      tenderedFen: 1000,
      idempotencyKey: key(),
    });
    const closed = await cashier.post(`/api/v1/cashier-shifts/${shiftId}/close`, {
      countedCashFen: 20900,
      handedOverTo: '李会计',
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      countedCashFen: '20900',
      expectedCashFen: '21000',
      handedOverTo: '李会计',
      totals: {
        cash: { count: 2, fen: '13345', reversedCount: 1, reversedFen: '12345' },
        card: { count: 1, fen: '3000', reversedCount: 0, reversedFen: '0' },
        expectedCashFen: '21000',
        differenceFen: '-100',
      },
    });
    const again = await cashier.post(`/api/v1/cashier-shifts/${shiftId}/close`, { countedCashFen: 0 });
    expect(again.body.error.code).toBe('PAY_SHIFT_NOT_OPEN');
    const late = await cashier.post('/api/v1/payments', {
      accountId: acct.accountId,
      method: 'cash',
      amountFen: 1,
      idempotencyKey: key(),
    });
    expect(late.body.error.code).toBe('PAY_SHIFT_NOT_OPEN');
    expect((await cashier.get('/api/v1/cashier-shifts/current')).body.shift).toBeNull();
  });

  it('pages the payment list by keyset without gaps or repeats', async () => {
    const first = await admin.get('/api/v1/payments?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await admin.get(`/api/v1/payments?limit=2&after=${first.body.next}`);
    const ids = [...first.body.items, ...second.body.items].map((x: { id: string }) => x.id);
    expect(new Set(ids).size).toBe(3);
    expect(second.body.next).toBeNull();
    const bad = await admin.get('/api/v1/payments?after=nonsense!');
    expect(bad.body.error.code).toBe('LIST_CURSOR_INVALID');
  });

  it('follows the tenant’s payment-cash settings: card off, a cash limit, or the counter switched off', async () => {
    expect((await cashier.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
    const set = async (enabled: boolean, settings: Record<string, unknown>) =>
      expect((await admin.put('/api/v1/plugins/payment-cash/tenant', { enabled, settings })).status).toBe(
        200,
      );
    const pay = (method: string, amountFen: number) =>
      cashier.post('/api/v1/payments', {
        accountId: acct.accountId,
        method,
        amountFen,
        ...(method === 'card' ? { terminalRef: 'T-9' } : {}),
        idempotencyKey: key(),
      });
    await set(true, { cardTerminal: false, maxCashFen: 10000 });
    const before = await moneyCounts(p);
    const card = await pay('card', 100);
    expect(card.status).toBe(409);
    expect(card.body.error.code).toBe('PAY_METHOD_DISABLED');
    const over = await pay('cash', 10001);
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('PAY_CASH_LIMIT');
    expect(await moneyCounts(p)).toEqual(before);
    expect((await pay('cash', 10000)).status).toBe(201);
    await set(false, { cardTerminal: true, maxCashFen: 0 });
    const off = await pay('cash', 100);
    expect(off.body.error.code).toBe('PAY_METHOD_DISABLED');
    await set(true, {});
    expect((await pay('card', 100)).status).toBe(201);
  });
});

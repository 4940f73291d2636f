import type { WechatSandbox } from '@quadmeter/payment-wechat/sandbox';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { type Area, demoAreas, inDemo } from './archive-fixtures.ts';
import { balanceOf, customerWithAccount } from './payment-fixtures.ts';
import { APPID, MCHID, nativeOrder, orderCounts, platformWithWechat } from './payment-order-fixtures.ts';

let p: TestPlatform;
let sb: WechatSandbox;
let admin: Client;
let areas: Record<string, Area>;
let n = 0;

beforeAll(async () => {
  ({ p, sb, admin } = await platformWithWechat());
  areas = await demoAreas(admin);
});
afterAll(async () => {
  await p?.stop();
  await sb?.close();
});

async function account(): Promise<string> {
  return (await customerWithAccount(admin, areas['1单元'].id, `WX${++n}`)).accountId;
}

async function entriesOf(accountId: string) {
  return await inDemo(p, (tx) =>
    tx.execute<{ kind: string; amount_fen: string; business_key: string }>(sql`
      select kind, amount_fen::text, business_key from ledger_entries where account_id = ${accountId} order by id`),
  );
}

describe('an order paid through the sandbox', () => {
  it('creates a Native order with a QR code, the callback credits it once with a wechat payment and its ledger entry', async () => {
    const acct = await account();
    const order = await nativeOrder(admin, acct, 2500);
    expect(order).toMatchObject({ status: 'paying', action: { type: 'qr' } });
    expect(order.action.codeUrl).toBe(`weixin://wxpay/bizpayurl?pr=${order.orderNo}`);
    expect(sb.orders().get(order.orderNo)?.notifyUrl).toBe(`${p.baseUrl}/hooks/payment-wechat/notify`);

    const cb = sb.pay(order.orderNo);
    const res = await sb.deliver(cb);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ code: 'SUCCESS', message: '成功' });

    const got = (await admin.get(`/api/v1/payment-orders/${order.id}`)).body;
    expect(got).toMatchObject({ status: 'paid', amountFen: '2500', flag: null });
    expect(got.providerTxnId).toBe(sb.orders().get(order.orderNo)?.transactionId);
    const pay = (await admin.get(`/api/v1/payments/${got.paymentId}`)).body;
    expect(pay).toMatchObject({ method: 'wechat', amountFen: '2500', shiftId: null, status: 'posted' });
    expect(await entriesOf(acct)).toEqual([
      { kind: 'payment', amount_fen: '2500', business_key: `pay:${got.paymentId}` },
    ]);
    expect(await balanceOf(p, acct)).toEqual({ cached: '2500', summed: '2500' });
    // the counter's receipt shows it
    const receipt = await fetch(`${p.baseUrl}/api/v1/payments/${got.paymentId}/receipt`, {
      headers: { cookie: admin.cookie },
    });
    expect(await receipt.text()).toContain('微信支付');
  });

  it('the same success callback sent 100 times concurrently credits once', async () => {
    const acct = await account();
    const order = await nativeOrder(admin, acct, 3300);
    const cb = sb.pay(order.orderNo);
    const answers = await Promise.all(Array.from({ length: 100 }, () => sb.deliver(cb)));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    // replays with a fresh signature (the provider's retries) are absorbed too
    expect((await sb.deliver(sb.notification(order.orderNo))).status).toBe(200);
    expect(await entriesOf(acct)).toHaveLength(1);
    expect(await balanceOf(p, acct)).toEqual({ cached: '3300', summed: '3300' });
    const payments = await inDemo(p, (tx) =>
      tx.execute(sql`select id from payments where account_id = ${acct}`),
    );
    expect(payments).toHaveLength(1);
  });

  it('callbacks delayed and delivered in reverse order still credit each order once', async () => {
    const acct = await account();
    const a = await nativeOrder(admin, acct, 100);
    const b = await nativeOrder(admin, acct, 200);
    sb.queue(sb.pay(a.orderNo));
    sb.queue(sb.pay(b.orderNo));
    sb.queue(sb.notification(a.orderNo));
    const answers = await sb.release({ reverse: true, delayMs: 20 });
    expect(answers.map((x) => x.status)).toEqual([200, 200, 200]);
    expect(await balanceOf(p, acct)).toEqual({ cached: '300', summed: '300' });
  });

  it('forged, tampered, stale, probe and wrong-merchant callbacks are refused with exact codes, nothing written', async () => {
    const acct = await account();
    const order = await nativeOrder(admin, acct, 4100);
    sb.pay(order.orderNo);
    const before = await orderCounts(p);
    const cases: [string, ReturnType<WechatSandbox['notification']>, number, string][] = [
      ['forged', sb.notification(order.orderNo, { forged: true }), 401, 'PAY_SIGNATURE_INVALID'],
      ['tampered', sb.tamper(sb.notification(order.orderNo)), 401, 'PAY_SIGNATURE_INVALID'],
      ['probe', sb.notification(order.orderNo, { probe: true }), 401, 'PAY_SIGNATURE_INVALID'],
      [
        'stale',
        sb.notification(order.orderNo, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
        401,
        'PAY_NOTIFICATION_STALE',
      ],
      ['other mchid', sb.notification(order.orderNo, { mchid: '1900000999' }), 401, 'PAY_MERCHANT_MISMATCH'],
      ['other appid', sb.notification(order.orderNo, { appid: `${APPID}x` }), 401, 'PAY_MERCHANT_MISMATCH'],
      [
        'other APIv3 key',
        sb.notification(order.orderNo, { apiV3Key: 'x'.repeat(32) }),
        401,
        'PAY_SIGNATURE_INVALID',
      ],
    ];
    for (const [what, cb, status, code] of cases) {
      const r = await sb.deliver(cb);
      expect(r.status, what).toBe(status);
      expect(JSON.parse(r.body).error.code, what).toBe(code);
    }
    expect(await orderCounts(p)).toEqual(before);
    expect((await admin.get(`/api/v1/payment-orders/${order.id}`)).body.status).toBe('paying');
    expect(MCHID).toBe('1900000109');
  });

  it('an amount other than the order’s never credits: the mismatch is recorded and the provider answered', async () => {
    const acct = await account();
    const order = await nativeOrder(admin, acct, 5000);
    const r = await sb.deliver(sb.pay(order.orderNo, { amountFen: 1 }));
    expect(r.status).toBe(200);
    const got = (await admin.get(`/api/v1/payment-orders/${order.id}`)).body;
    expect(got).toMatchObject({ status: 'paying', flag: 'amount_mismatch', paymentId: null });
    expect(got.flagDetail).toMatchObject({ paidFen: 1 });
    expect(await entriesOf(acct)).toEqual([]);
    // asking the provider (which says 1 fen) does not credit either
    const q = await admin.post(`/api/v1/payment-orders/${order.id}/query`);
    expect(q.body).toMatchObject({ applied: 'amount_mismatch', status: 'paying' });
    expect(await entriesOf(acct)).toEqual([]);
    const flagged = (await admin.get('/api/v1/payment-orders?flagged=true')).body.items.map(
      (o: { id: string }) => o.id,
    );
    expect(flagged).toContain(order.id);
  });

  it('answers an unknown order with the ack, so the provider stops, and writes nothing', async () => {
    const acct = await account();
    const order = await nativeOrder(admin, acct, 700);
    const cb = sb.pay(order.orderNo);
    await inDemo(p, (tx) =>
      tx.execute(sql`update payment_orders set order_no = 'QMRENAMED00001' where id = ${order.id}`),
    );
    const before = await orderCounts(p);
    expect((await sb.deliver(cb)).status).toBe(200);
    expect(await orderCounts(p)).toEqual(before);
  });
});

describe('query-before-close and late payments', () => {
  it('closing an order the payer paid meanwhile credits it instead', async () => {
    const acct = await account();
    const order = await nativeOrder(admin, acct, 800);
    sb.pay(order.orderNo); // paid at the provider, callback lost
    const r = await admin.post(`/api/v1/payment-orders/${order.id}/close`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'paid', applied: 'credited' });
    expect(await balanceOf(p, acct)).toEqual({ cached: '800', summed: '800' });
  });

  it('closes an unpaid order; closing again is PAY_ORDER_STATE', async () => {
    const order = await nativeOrder(admin, await account(), 900);
    const r = await admin.post(`/api/v1/payment-orders/${order.id}/close`);
    expect(r.body).toMatchObject({ status: 'closed', applied: 'not_paid' });
    const again = await admin.post(`/api/v1/payment-orders/${order.id}/close`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PAY_ORDER_STATE');
  });

  it('a success arriving after a local close credits when the account can take it', async () => {
    const acct = await account();
    const order = await nativeOrder(admin, acct, 1200);
    expect((await admin.post(`/api/v1/payment-orders/${order.id}/close`)).body.status).toBe('closed');
    expect((await sb.deliver(sb.pay(order.orderNo))).status).toBe(200);
    const got = (await admin.get(`/api/v1/payment-orders/${order.id}`)).body;
    expect(got).toMatchObject({ status: 'paid', flag: 'late_credited' });
    expect(await balanceOf(p, acct)).toEqual({ cached: '1200', summed: '1200' });
  });

  it('a success arriving after a local close is refunded automatically when the account was closed', async () => {
    const acct = await account();
    const order = await nativeOrder(admin, acct, 1500);
    expect((await admin.post(`/api/v1/payment-orders/${order.id}/close`)).body.status).toBe('closed');
    await inDemo(p, (tx) => tx.execute(sql`update accounts set status = 'closed' where id = ${acct}`));
    const cb = sb.pay(order.orderNo);
    expect((await sb.deliver(cb)).status).toBe(200);
    expect((await sb.deliver(cb)).status).toBe(200); // a replay refunds nothing more
    const got = (await admin.get(`/api/v1/payment-orders/${order.id}`)).body;
    expect(got).toMatchObject({
      status: 'refunded',
      flag: 'late_refunded',
      refundedFen: '1500',
      paymentId: null,
    });
    expect(got.refunds).toEqual([
      expect.objectContaining({
        refundNo: `AUTO${order.orderNo}`,
        amountFen: '1500',
        automatic: true,
        status: 'succeeded',
      }),
    ]);
    expect(
      sb
        .orders()
        .get(order.orderNo)
        ?.refunds.map((r) => r.amountFen),
    ).toEqual([1500]);
    expect(await entriesOf(acct)).toEqual([]);
  });
});

describe('refunds', () => {
  it('refunds part then the rest; the same refund number is a replay; more than is left is refused', async () => {
    const acct = await account();
    const order = await nativeOrder(admin, acct, 3000);
    await sb.deliver(sb.pay(order.orderNo));
    const first = await admin.post(`/api/v1/payment-orders/${order.id}/refunds`, {
      refundNo: 'RF-000000001',
      amountFen: 1000,
      reason: '多缴',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: 'paid', refundedFen: '1000', replayed: false });
    const again = await admin.post(`/api/v1/payment-orders/${order.id}/refunds`, {
      refundNo: 'RF-000000001',
      amountFen: 1000,
      reason: '多缴',
    });
    expect(again.body).toMatchObject({ refundedFen: '1000', replayed: true });
    const conflict = await admin.post(`/api/v1/payment-orders/${order.id}/refunds`, {
      refundNo: 'RF-000000001',
      amountFen: 999,
      reason: '多缴',
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('PAY_REFUND_CONFLICT');
    const tooMuch = await admin.post(`/api/v1/payment-orders/${order.id}/refunds`, {
      refundNo: 'RF-000000002',
      amountFen: 2001,
      reason: '多缴',
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('PAY_REFUND_TOO_LARGE');
    const rest = await admin.post(`/api/v1/payment-orders/${order.id}/refunds`, {
      refundNo: 'RF-000000003',
      amountFen: 2000,
      reason: '销户退款',
    });
    expect(rest.body).toMatchObject({ status: 'refunded', refundedFen: '3000' });
    expect(
      sb
        .orders()
        .get(order.orderNo)
        ?.refunds.map((r) => r.amountFen),
    ).toEqual([1000, 2000]);
    expect((await entriesOf(acct)).map((e) => [e.kind, e.amount_fen])).toEqual([
      ['payment', '3000'],
      ['refund', '-1000'],
      ['refund', '-2000'],
    ]);
    expect(await balanceOf(p, acct)).toEqual({ cached: '0', summed: '0' });
    const audit = await inDemo(p, (tx) =>
      tx.execute(
        sql`select count(*)::int as n from audit_log where action = 'payment-orders.refund' and target_id = ${order.id}`,
      ),
    );
    expect(audit[0].n).toBe(2);
    // an online payment is not reversed at the counter
    const rev = await admin.post(`/api/v1/payments/${first.body.paymentId}/reversal-requests`, {
      reason: 'x',
    });
    expect(rev.status).toBe(409);
    expect(rev.body.error.code).toBe('PAY_NOT_REVERSIBLE');
  });

  it('an unpaid order cannot be refunded', async () => {
    const order = await nativeOrder(admin, await account(), 400);
    const r = await admin.post(`/api/v1/payment-orders/${order.id}/refunds`, {
      refundNo: 'RF-000000009',
      amountFen: 100,
      reason: '退',
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('PAY_ORDER_STATE');
  });
});

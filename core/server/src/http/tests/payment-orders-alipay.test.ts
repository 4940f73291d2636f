import type { AlipaySandbox } from '@quadmeter/payment-alipay/sandbox';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { type Area, demoAreas, inDemo } from './archive-fixtures.ts';
import { balanceOf, customerWithAccount } from './payment-fixtures.ts';
import { nativeOrder, orderCounts, platformWithAlipay } from './payment-order-fixtures.ts';

let p: TestPlatform;
let sb: AlipaySandbox;
let admin: Client;
let areas: Record<string, Area>;
let n = 0;

beforeAll(async () => {
  ({ p, sb, admin } = await platformWithAlipay());
  areas = await demoAreas(admin);
});
afterAll(async () => {
  await p?.stop();
  await sb?.close();
});

const account = async () => (await customerWithAccount(admin, areas['1单元'].id, `ALI${++n}`)).accountId;
const order = (acct: string, fen: number) => nativeOrder(admin, acct, fen, 'payment-alipay');
const entries = (acct: string) =>
  inDemo(p, (tx) =>
    tx.execute(sql`select kind, amount_fen::text from ledger_entries where account_id = ${acct}`),
  );

describe('payment-alipay through the core hook', () => {
  it('a QR order paid in the sandbox: the notification credits an alipay payment, answered `success`', async () => {
    const acct = await account();
    const o = await order(acct, 2500);
    expect(o.action).toEqual({ type: 'qr', codeUrl: `https://qr.alipay.com/${o.orderNo}` });
    expect(sb.orders().get(o.orderNo)?.notifyUrl).toBe(`${p.baseUrl}/hooks/payment-alipay/notify`);
    expect(await sb.deliver(sb.pay(o.orderNo))).toEqual({ status: 200, body: 'success' });
    const got = (await admin.get(`/api/v1/payment-orders/${o.id}`)).body;
    expect(got).toMatchObject({ status: 'paid', amountFen: '2500', flag: null });
    expect(got.providerTxnId).toBe(sb.orders().get(o.orderNo)?.tradeNo);
    const pay = (await admin.get(`/api/v1/payments/${got.paymentId}`)).body;
    expect(pay).toMatchObject({ method: 'alipay', amountFen: '2500', shiftId: null, status: 'posted' });
    expect(await balanceOf(p, acct)).toEqual({ cached: '2500', summed: '2500' });
  });

  it('the same success notification 100 times concurrently, then retried and delayed, credits once', async () => {
    const acct = await account();
    const o = await order(acct, 3300);
    const cb = sb.pay(o.orderNo);
    const answers = await Promise.all(Array.from({ length: 100 }, () => sb.deliver(cb)));
    expect(answers).toEqual(Array(100).fill({ status: 200, body: 'success' }));
    sb.queue(sb.notification(o.orderNo));
    sb.queue(cb);
    expect((await sb.release({ reverse: true, delayMs: 20 })).map((a) => a.body)).toEqual([
      'success',
      'success',
    ]);
    expect(await entries(acct)).toEqual([{ kind: 'payment', amount_fen: '3300' }]);
    expect(await balanceOf(p, acct)).toEqual({ cached: '3300', summed: '3300' });
  });

  it('forged, tampered, stale and foreign notifications are refused with exact codes, nothing written', async () => {
    const o = await order(await account(), 4100);
    sb.pay(o.orderNo);
    const before = await orderCounts(p);
    const cases: [string, ReturnType<AlipaySandbox['notification']>, string][] = [
      ['forged', sb.notification(o.orderNo, { forged: true }), 'PAY_SIGNATURE_INVALID'],
      ['tampered', sb.tamper(sb.notification(o.orderNo)), 'PAY_SIGNATURE_INVALID'],
      [
        'stale',
        sb.notification(o.orderNo, { notifyTime: new Date(Date.now() - 3600_000) }),
        'PAY_NOTIFICATION_STALE',
      ],
      ['other app', sb.notification(o.orderNo, { appId: '2021000122609999' }), 'PAY_MERCHANT_MISMATCH'],
      ['other seller', sb.notification(o.orderNo, { sellerId: '2088102177809999' }), 'PAY_MERCHANT_MISMATCH'],
    ];
    for (const [what, cb, code] of cases) {
      const r = await sb.deliver(cb);
      expect(r.status, what).toBe(401);
      expect(JSON.parse(r.body).error.code, what).toBe(code);
    }
    expect(await orderCounts(p)).toEqual(before);
    expect((await admin.get(`/api/v1/payment-orders/${o.id}`)).body.status).toBe('paying');
  });

  it('an amount other than the order’s never credits; a success after a local close does', async () => {
    const acct = await account();
    const wrong = await order(acct, 5000);
    expect((await sb.deliver(sb.pay(wrong.orderNo, { amountFen: 1 }))).body).toBe('success');
    const got = (await admin.get(`/api/v1/payment-orders/${wrong.id}`)).body;
    expect(got).toMatchObject({ status: 'paying', flag: 'amount_mismatch', paymentId: null });
    expect(await entries(acct)).toEqual([]);

    const late = await order(acct, 1200);
    expect((await admin.post(`/api/v1/payment-orders/${late.id}/close`)).body.status).toBe('closed');
    expect((await sb.deliver(sb.pay(late.orderNo))).body).toBe('success');
    expect((await admin.get(`/api/v1/payment-orders/${late.id}`)).body).toMatchObject({
      status: 'paid',
      flag: 'late_credited',
    });
    expect(await balanceOf(p, acct)).toEqual({ cached: '1200', summed: '1200' });
  });

  it('refunds through the core once per refund number; the day’s bill reconciles payment and refund', async () => {
    const acct = await account();
    const o = await order(acct, 3000);
    await sb.deliver(sb.pay(o.orderNo));
    const body = { refundNo: 'RF-ALI-00001', amountFen: 1000, reason: '多缴' };
    const first = await admin.post(`/api/v1/payment-orders/${o.id}/refunds`, body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: 'paid', refundedFen: '1000', replayed: false });
    expect((await admin.post(`/api/v1/payment-orders/${o.id}/refunds`, body)).body.replayed).toBe(true);
    expect(
      sb
        .orders()
        .get(o.orderNo)
        ?.refunds.map((r) => r.amountFen),
    ).toEqual([1000]);
    expect(await balanceOf(p, acct)).toEqual({ cached: '2000', summed: '2000' });
    const receipt = await fetch(
      `${p.baseUrl}/api/v1/payments/${(await admin.get(`/api/v1/payment-orders/${o.id}`)).body.paymentId}/receipt`,
      { headers: { cookie: admin.cookie } },
    );
    expect(await receipt.text()).toContain('支付宝');
    const date = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const r = await admin.post('/api/v1/payment-orders/reconciliations', {
      provider: 'payment-alipay',
      date,
      content: sb.statement(date),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const mine = r.body.items.filter((i: { orderNo: string }) => i.orderNo === o.orderNo);
    expect(mine).toEqual([]);
    // the earlier tests' 4100 (every notification refused) and 5000 (paid 1 fen) are not paid here
    expect(r.body).toMatchObject({ provider: 'payment-alipay', lines: 7, matched: 5 });
    expect(
      r.body.items.map((i: { mismatch: string; providerFen: number }) => [i.mismatch, i.providerFen]),
    ).toEqual(
      expect.arrayContaining([
        ['missing_locally', 4100],
        ['missing_locally', 1],
      ]),
    );
  });
});

import type { UnionpaySandbox } from '@quadmeter/payment-unionpay/sandbox';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { type Area, demoAreas, inDemo } from './archive-fixtures.ts';
import { balanceOf, customerWithAccount } from './payment-fixtures.ts';
import { nativeOrder, orderCounts, platformWithUnionpay } from './payment-order-fixtures.ts';

let p: TestPlatform;
let sb: UnionpaySandbox;
let admin: Client;
let areas: Record<string, Area>;
let n = 0;

beforeAll(async () => {
  ({ p, sb, admin } = await platformWithUnionpay());
  areas = await demoAreas(admin);
});
afterAll(async () => {
  await p?.stop();
  await sb?.close();
});

const account = async () => (await customerWithAccount(admin, areas['1单元'].id, `UP${++n}`)).accountId;
const order = (acct: string, fen: number) => nativeOrder(admin, acct, fen, 'payment-unionpay');

describe('payment-unionpay through POST /hooks/payment-unionpay/notify', () => {
  it('a QR order paid in the sandbox: the same notification 100× concurrently credits once, as a unionpay payment', async () => {
    const acct = await account();
    const o = await order(acct, 3300);
    expect(o.action.codeUrl).toBe(`https://qr.95516.com/00010000/${o.orderNo}`);
    expect(sb.orders().get(o.orderNo)?.backUrl).toBe(`${p.baseUrl}/hooks/payment-unionpay/notify`);
    const cb = sb.pay(o.orderNo);
    const answers = await Promise.all(Array.from({ length: 100 }, () => sb.deliver(cb)));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    expect((await sb.deliver(sb.notification(o.orderNo))).status).toBe(200); // a replay is absorbed
    expect(await balanceOf(p, acct)).toEqual({ cached: '3300', summed: '3300' });
    const pays = await inDemo(p, (tx) =>
      tx.execute<{ method: string }>(sql`select method from payments where account_id = ${acct}`),
    );
    expect(pays).toEqual([{ method: 'unionpay' }]);
    const got = (await admin.get(`/api/v1/payment-orders/${o.id}`)).body;
    expect(got).toMatchObject({ status: 'paid', providerTxnId: sb.orders().get(o.orderNo)?.queryId });
    const receipt = await fetch(`${p.baseUrl}/api/v1/payments/${got.paymentId}/receipt`, {
      headers: { cookie: admin.cookie },
    });
    expect(await receipt.text()).toContain('银联支付');
  });

  it('forged, tampered, expired, foreign-chain and other-merId notifications are refused with exact codes, nothing written', async () => {
    const o = await order(await account(), 4100);
    sb.pay(o.orderNo);
    const before = await orderCounts(p);
    const cases: [string, ReturnType<UnionpaySandbox['notification']>, number, string][] = [
      ['forged', sb.notification(o.orderNo, { forged: true }), 401, 'PAY_SIGNATURE_INVALID'],
      ['tampered', sb.tamper(sb.notification(o.orderNo)), 401, 'PAY_SIGNATURE_INVALID'],
      ['untrusted chain', sb.notification(o.orderNo, { untrusted: true }), 401, 'PAY_SIGNATURE_INVALID'],
      ['expired certificate', sb.notification(o.orderNo, { expired: true }), 401, 'PAY_NOTIFICATION_STALE'],
      ['other merId', sb.notification(o.orderNo, { merId: '777290058110049' }), 401, 'PAY_MERCHANT_MISMATCH'],
      ['empty body', { url: sb.notification(o.orderNo).url, body: '' }, 401, 'PAY_SIGNATURE_INVALID'],
    ];
    for (const [what, cb, status, code] of cases) {
      const r = await sb.deliver(cb);
      expect(r.status, what).toBe(status);
      expect(JSON.parse(r.body).error.code, what).toBe(code);
    }
    expect(await orderCounts(p)).toEqual(before);
    expect((await admin.get(`/api/v1/payment-orders/${o.id}`)).body.status).toBe('paying');
  });

  it('an amount other than the order’s never credits, even when asked again', async () => {
    const acct = await account();
    const o = await order(acct, 5000);
    expect((await sb.deliver(sb.pay(o.orderNo, { amountFen: 1 }))).status).toBe(200);
    expect((await admin.get(`/api/v1/payment-orders/${o.id}`)).body).toMatchObject({
      status: 'paying',
      flag: 'amount_mismatch',
      paymentId: null,
    });
    const q = await admin.post(`/api/v1/payment-orders/${o.id}/query`);
    expect(q.body).toMatchObject({ applied: 'amount_mismatch', status: 'paying' });
    expect(await balanceOf(p, acct)).toEqual({ cached: '0', summed: '0' });
  });

  it('a success after a local close credits it; a refund goes out once by its number', async () => {
    const acct = await account();
    const o = await order(acct, 1200);
    expect((await admin.post(`/api/v1/payment-orders/${o.id}/close`)).body.status).toBe('closed');
    expect((await sb.deliver(sb.pay(o.orderNo))).status).toBe(200);
    expect((await admin.get(`/api/v1/payment-orders/${o.id}`)).body).toMatchObject({
      status: 'paid',
      flag: 'late_credited',
    });
    expect(await balanceOf(p, acct)).toEqual({ cached: '1200', summed: '1200' });
    const body = { refundNo: `UPR${o.orderNo}`.slice(0, 40), amountFen: 200, reason: '多缴' };
    const r1 = await admin.post(`/api/v1/payment-orders/${o.id}/refunds`, body);
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    const r2 = await admin.post(`/api/v1/payment-orders/${o.id}/refunds`, body);
    expect(r2.body).toMatchObject({ refundedFen: '200', replayed: true });
    expect(sb.orders().get(o.orderNo)?.refundedFen).toBe(200);
    expect(sb.refunds().size).toBe(1);
    // the day's statement file: this order and its refund match ours
    const day = sb.orders().get(o.orderNo)?.txnTime.slice(0, 8) as string;
    const date = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`;
    const rec = await admin.post('/api/v1/payment-orders/reconciliations', {
      provider: 'payment-unionpay',
      date,
      content: sb.statement(date).content,
    });
    expect(rec.status, JSON.stringify(rec.body)).toBe(200);
    const txn = sb.orders().get(o.orderNo)?.queryId;
    const refundTxn = [...sb.refunds().values()][0].queryId;
    expect(
      rec.body.items.filter((i: { providerTxnId: string }) => [txn, refundTxn].includes(i.providerTxnId)),
    ).toEqual([]);
    // the 4100 fen order paid at the provider but refused here shows as missing locally
    expect(rec.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'payment', mismatch: 'missing_locally', providerFen: 4100 }),
      ]),
    );
    expect(rec.body.matched).toBeGreaterThanOrEqual(3);
  });
});

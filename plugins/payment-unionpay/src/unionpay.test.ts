import { readFileSync } from 'node:fs';
import { isAppError } from '@quadmeter/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { asRequest, MER_ID, sandboxMerchant } from './fixtures.ts';
import { parseUnionpayNotification } from './notify.ts';
import { createUnionpayOrder, queryUnionpayOrder, refundUnionpay } from './orders.ts';
import { readStatement } from './statement.ts';

async function code(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return isAppError(e) ? e.code : `not an AppError: ${String(e)}`;
  }
  return undefined;
}

const { sb, config } = await sandboxMerchant();
afterAll(() => sb.close());
let n = 0;
const order = async (amountFen = 2500) => {
  const orderId = `QM2026120100000${String(++n).padStart(6, '0')}`;
  const created = await createUnionpayOrder(
    {
      orderId,
      tenantId: 't',
      amountFen,
      description: '水费',
      channel: 'native',
      notifyUrl: 'http://127.0.0.1:9/n',
    },
    config,
  );
  return { orderId, created };
};

describe('orders, notifications, query', () => {
  it('creates a QR order; the signed notification is paid, the forged, tampered, expired and foreign ones refused with exact codes', async () => {
    const { orderId, created } = await order();
    expect(created.action).toEqual({ type: 'qr', codeUrl: `https://qr.95516.com/00010000/${orderId}` });
    expect(await queryUnionpayOrder(orderId, config)).toMatchObject({ status: 'pending', amountFen: 2500 });
    const paid = sb.pay(orderId);
    const ok = parseUnionpayNotification(asRequest(paid), config);
    expect(ok.outcome).toMatchObject({
      orderId,
      status: 'paid',
      amountFen: 2500,
      providerTxnId: sb.orders().get(orderId)?.queryId,
    });
    expect(ok.ack.status).toBe(200);
    const cases: [string, ReturnType<typeof asRequest>, string][] = [
      ['forged', asRequest(sb.notification(orderId, { forged: true })), 'PAY_SIGNATURE_INVALID'],
      ['tampered', asRequest(sb.tamper(paid)), 'PAY_SIGNATURE_INVALID'],
      ['untrusted chain', asRequest(sb.notification(orderId, { untrusted: true })), 'PAY_SIGNATURE_INVALID'],
      ['not UnionPay CN', asRequest(sb.notification(orderId, { otherCn: true })), 'PAY_SIGNATURE_INVALID'],
      [
        'expired certificate',
        asRequest(sb.notification(orderId, { expired: true })),
        'PAY_NOTIFICATION_STALE',
      ],
      [
        'other merId',
        asRequest(sb.notification(orderId, { merId: '777290058110049' })),
        'PAY_MERCHANT_MISMATCH',
      ],
      ['empty body', { ...asRequest(paid), body: new Uint8Array() }, 'PAY_SIGNATURE_INVALID'],
      ['NUL bytes', { ...asRequest(paid), body: new Uint8Array([0, 0, 0]) }, 'PAY_SIGNATURE_INVALID'],
      ['a field twice', asRequest({ url: paid.url, body: `${paid.body}&txnAmt=1` }), 'PAY_SIGNATURE_INVALID'],
    ];
    for (const [what, req, expected] of cases)
      expect(await code(() => parseUnionpayNotification(req, config)), what).toBe(expected);
    // a wrong amount is signed by the provider: it verifies and reports that amount (the core refuses to credit it)
    expect(
      parseUnionpayNotification(asRequest(sb.notification(orderId, { amountFen: 1 })), config).outcome
        .amountFen,
    ).toBe(1);
    expect(await queryUnionpayOrder(orderId, config)).toMatchObject({ status: 'paid', amountFen: 2500 });
    expect(await queryUnionpayOrder('QM0000000000000NEVER', config)).toMatchObject({
      status: 'failed',
      providerTxnId: '',
    });
  });

  it('refuses bad input before calling the provider, and an unconfigured account', async () => {
    const before = sb.answered();
    const base = { tenantId: 't', description: 'x', channel: 'native', notifyUrl: 'http://127.0.0.1:9/n' };
    expect(await code(createUnionpayOrder({ ...base, orderId: 'QM_bad-no', amountFen: 1 }, config))).toBe(
      'REQ_VALIDATION',
    );
    expect(await code(createUnionpayOrder({ ...base, orderId: 'QM000000001', amountFen: 1.5 }, config))).toBe(
      'REQ_VALIDATION',
    );
    expect(await code(createUnionpayOrder({ ...base, orderId: 'QM000000001', amountFen: 0 }, config))).toBe(
      'REQ_VALIDATION',
    );
    expect(
      await code(
        createUnionpayOrder({ ...base, orderId: 'QM000000001', amountFen: 1, channel: 'jsapi' }, config),
      ),
    ).toBe('REQ_VALIDATION');
    expect(sb.answered()).toEqual(before);
    expect(await code(queryUnionpayOrder('QM000000001', { ...config, merId: undefined }))).toBe(
      'PAY_NOT_CONFIGURED',
    );
  });
});

describe('refunds and the statement', () => {
  it('refunds part then the rest; the same refund number never refunds twice; too much is refused', async () => {
    const { orderId } = await order(3000);
    parseUnionpayNotification(asRequest(sb.pay(orderId)), config);
    const req = { orderId, tenantId: 't', totalFen: 3000, reason: '多缴' };
    const r1 = await refundUnionpay({ ...req, refundId: `R${orderId}A`, amountFen: 1000 }, config);
    expect(r1).toMatchObject({ refundId: `R${orderId}A`, status: 'succeeded' });
    const again = await refundUnionpay({ ...req, refundId: `R${orderId}A`, amountFen: 1000 }, config);
    expect(again).toEqual(r1);
    expect(sb.orders().get(orderId)?.refundedFen).toBe(1000);
    expect(await code(refundUnionpay({ ...req, refundId: `R${orderId}B`, amountFen: 2001 }, config))).toBe(
      'PAY_PROVIDER_ERROR',
    );
    expect((await refundUnionpay({ ...req, refundId: `R${orderId}C`, amountFen: 2000 }, config)).status).toBe(
      'succeeded',
    );
    expect(sb.orders().get(orderId)?.refundedFen).toBe(3000);
    expect(await code(refundUnionpay({ ...req, refundId: 'bad_no', amountFen: 1 }, config))).toBe(
      'REQ_VALIDATION',
    );
    const { orderId: unpaid } = await order();
    expect(
      await code(refundUnionpay({ ...req, orderId: unpaid, refundId: `R${unpaid}`, amountFen: 1 }, config)),
    ).toBe('PAY_PROVIDER_ERROR');
  });

  it('reads the statement file the sandbox writes: payments with fees, refunds; a bad row refuses the file', async () => {
    const { orderId } = await order(4200);
    parseUnionpayNotification(asRequest(sb.pay(orderId)), config);
    const refund = await refundUnionpay(
      { orderId, tenantId: 't', totalFen: 4200, reason: 'x', refundId: `R${orderId}`, amountFen: 200 },
      config,
    );
    const day = sb.orders().get(orderId)?.txnTime.slice(0, 8) as string;
    const date = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`;
    const file = sb.statement(date);
    expect(file.path).toContain(`ZM_${MER_ID}_${day}`);
    const lines = readStatement({ tenantId: 't', date, content: readFileSync(file.path) });
    expect(lines).toContainEqual(
      expect.objectContaining({
        kind: 'payment',
        orderId,
        providerTxnId: sb.orders().get(orderId)?.queryId,
        amountFen: 4200,
        feeFen: 12,
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ kind: 'refund', providerTxnId: refund.providerRefundId, amountFen: 200 }),
    );
    expect(
      await code(() =>
        readStatement({ tenantId: 't', date, content: `${file.content}01|X|Y||12.5|0|20261201000000\n` }),
      ),
    ).toBe('FILE_UNREADABLE');
    expect(await code(() => readStatement({ tenantId: 't', date, content: 'nope\n' }))).toBe(
      'FILE_UNREADABLE',
    );
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { isAppError } from '@quadmeter/sdk';
import { makeTestContext } from '@quadmeter/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlipaySandbox, startAlipaySandbox } from '../sandbox/server.ts';
import type { AlipayConfig } from './config.ts';
import { signedNotify, testApp, tradeParams } from './fixtures.ts';
import plugin from './index.ts';
import { parseAlipayNotification } from './notify.ts';
import { beijingText, rsa2Sign, signContent } from './sign.ts';

const t = testApp();
const key = t.alipay.privateKey;

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return isAppError(e) ? e.code : `not an AppError: ${String(e)}`;
  }
  return undefined;
}

describe('notification verification', () => {
  const parse =
    (p: Record<string, string>, k = key, sign?: string) =>
    () =>
      parseAlipayNotification(signedNotify(p, k, sign), t.config);

  it('accepts content signed with or without sign_type and with empty values dropped', () => {
    const p = tradeParams({ body: '' });
    const withType = signContent(p, true);
    const noEmpty = signContent(p, false, true);
    for (const content of [withType, noEmpty]) {
      const r = parseAlipayNotification(signedNotify(p, key, rsa2Sign(content, key)), t.config);
      expect(r.outcome).toMatchObject({ status: 'paid', amountFen: 12345 });
      expect(r.ack).toEqual({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'success' });
    }
  });

  it('refuses forged, tampered, stale and foreign notifications with exact codes', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const good = signedNotify(tradeParams(), key);
    const tampered = {
      ...good,
      body: Buffer.from(Buffer.from(good.body).toString().replace('123.45', '923.45')),
    };
    const old = beijingText(new Date(Date.now() - 901_000));
    expect(await codeOf(parse(tradeParams(), stranger))).toBe('PAY_SIGNATURE_INVALID');
    expect(await codeOf(() => parseAlipayNotification(tampered, t.config))).toBe('PAY_SIGNATURE_INVALID');
    expect(await codeOf(parse(tradeParams({ sign_type: 'RSA' })))).toBe('PAY_SIGNATURE_INVALID');
    expect(await codeOf(parse(tradeParams(), key, ''))).toBe('PAY_SIGNATURE_INVALID');
    expect(await codeOf(parse(tradeParams({ notify_time: old })))).toBe('PAY_NOTIFICATION_STALE');
    expect(await codeOf(parse(tradeParams({ notify_time: 'yesterday' })))).toBe('PAY_NOTIFICATION_STALE');
    expect(await codeOf(parse(tradeParams({ app_id: '2021000122609999' })))).toBe('PAY_MERCHANT_MISMATCH');
    expect(await codeOf(parse(tradeParams({ auth_app_id: '2021000122609999' })))).toBe(
      'PAY_MERCHANT_MISMATCH',
    );
    expect(await codeOf(parse(tradeParams({ seller_id: '2088102177809999' })))).toBe('PAY_MERCHANT_MISMATCH');
    expect(await codeOf(parse(tradeParams({ total_amount: '1.5e2' })))).toBe('PAY_PROVIDER_ERROR');
    expect(await codeOf(parse(tradeParams({ trade_status: 'PAID' })))).toBe('PAY_PROVIDER_ERROR');
    const dup = { ...good, body: Buffer.concat([Buffer.from(good.body), Buffer.from('&app_id=1')]) };
    expect(await codeOf(() => parseAlipayNotification(dup, t.config))).toBe('PAY_SIGNATURE_INVALID');
    const latin = { ...good, body: Buffer.from([0x61, 0x3d, 0xff]) };
    expect(await codeOf(() => parseAlipayNotification(latin, t.config))).toBe('PAY_SIGNATURE_INVALID');
    const bare: AlipayConfig = { ...t.config, sellerId: undefined };
    expect(await codeOf(() => parseAlipayNotification(good, bare))).toBe('PAY_NOT_CONFIGURED');
  });

  it('reads yuan by the digits and a refund notification as refunded', () => {
    const r = parseAlipayNotification(signedNotify(tradeParams({ total_amount: '0.1' }), key), t.config);
    expect(r.outcome.amountFen).toBe(10);
    const refund = parseAlipayNotification(
      signedNotify(
        tradeParams({ out_biz_no: 'RF1', refund_fee: '20.07', trade_status: 'TRADE_CLOSED' }),
        key,
      ),
      t.config,
    );
    expect(refund.outcome).toMatchObject({ status: 'refunded', amountFen: 2007 });
  });
});

describe('against the sandbox gateway', () => {
  let sb: AlipaySandbox;
  let config: AlipayConfig;
  const ctx = () => makeTestContext({ pluginId: plugin.id, config }).ctx;
  const order = (orderId: string, amountFen = 2500) => ({
    orderId,
    tenantId: 't',
    amountFen,
    description: '预存 水费',
    channel: 'native',
    notifyUrl: 'http://127.0.0.1:9/hooks/payment-alipay/notify',
  });

  beforeAll(async () => {
    sb = await startAlipaySandbox({
      appId: t.config.appId as string,
      sellerId: t.config.sellerId as string,
      appPublicKey: t.app.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    config = { ...t.config, endpoint: sb.url, alipayPublicKey: sb.publicKeyPem };
  });
  afterAll(() => sb?.close());

  it('creates a QR order, queries it before and after payment, and verifies its notification', async () => {
    const made = await plugin.createOrder(order('QMALI0001'), ctx());
    expect(made).toEqual({
      orderId: 'QMALI0001',
      status: 'pending',
      action: { type: 'qr', codeUrl: 'https://qr.alipay.com/QMALI0001' },
    });
    expect(sb.orders().get('QMALI0001')?.amountFen).toBe(2500);
    expect((await plugin.query('QMALI0001', 't', ctx())).status).toBe('pending');
    expect(await plugin.query('QMALI0404', 't', ctx())).toEqual({
      orderId: 'QMALI0404',
      providerTxnId: '',
      status: 'failed',
      amountFen: 0,
    });
    const n = sb.pay('QMALI0001');
    const req = {
      method: 'POST' as const,
      path: '/notify',
      params: {},
      query: {},
      headers: {},
      body: Buffer.from(n.body),
    };
    const v = await plugin.parseNotification(req, ctx());
    expect(v.outcome).toMatchObject({ orderId: 'QMALI0001', status: 'paid', amountFen: 2500 });
    expect(v.outcome.providerTxnId).toBe(sb.orders().get('QMALI0001')?.tradeNo);
    expect(await plugin.query('QMALI0001', 't', ctx())).toMatchObject({ status: 'paid', amountFen: 2500 });
    const forged = { ...req, body: Buffer.from(sb.notification('QMALI0001', { forged: true }).body) };
    expect(await codeOf(plugin.parseNotification(forged, ctx()))).toBe('PAY_SIGNATURE_INVALID');
    const tampered = { ...req, body: Buffer.from(sb.tamper(n).body) };
    expect(await codeOf(plugin.parseNotification(tampered, ctx()))).toBe('PAY_SIGNATURE_INVALID');
  });

  it('refunds once per refund number, refuses more than was paid, and the bill lists both', async () => {
    await plugin.createOrder(order('QMALI0002', 1000), ctx());
    sb.pay('QMALI0002');
    const req = {
      refundId: 'RFALI0002A',
      orderId: 'QMALI0002',
      tenantId: 't',
      amountFen: 400,
      totalFen: 1000,
      reason: '多缴',
    };
    expect(await plugin.refund(req, ctx())).toEqual({
      refundId: 'RFALI0002A',
      providerRefundId: 'RFALI0002A',
      status: 'succeeded',
    });
    expect((await plugin.refund(req, ctx())).status).toBe('succeeded'); // a retry: fund_change N
    expect(sb.orders().get('QMALI0002')?.refunds).toHaveLength(1);
    expect(await codeOf(plugin.refund({ ...req, refundId: 'RFALI0002B', amountFen: 700 }, ctx()))).toBe(
      'PAY_PROVIDER_ERROR',
    );
    const today = beijingText(new Date()).slice(0, 10);
    const lines = await plugin.reconcile({ tenantId: 't', date: today, content: sb.statement(today) }, ctx());
    const mine = lines.filter((l) => l.orderId === 'QMALI0002');
    expect(mine.map(({ kind, amountFen, providerTxnId }) => ({ kind, amountFen, providerTxnId }))).toEqual([
      { kind: 'payment', amountFen: 1000, providerTxnId: sb.orders().get('QMALI0002')?.tradeNo },
      { kind: 'refund', amountFen: 400, providerTxnId: 'RFALI0002A' },
    ]);
    const broken = sb.statement(today).replace('交易', '转账');
    expect(await codeOf(plugin.reconcile({ tenantId: 't', date: today, content: broken }, ctx()))).toBe(
      'FILE_UNREADABLE',
    );
  });

  it('refuses a gateway answer not signed by Alipay, a bad order and an unconfigured app', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const wrongKey = { ...config, alipayPublicKey: other.export({ type: 'spki', format: 'pem' }).toString() };
    const c = makeTestContext({ pluginId: plugin.id, config: wrongKey }).ctx;
    expect(await codeOf(plugin.createOrder(order('QMALI0003'), c))).toBe('PAY_SIGNATURE_INVALID');
    expect(await codeOf(plugin.createOrder({ ...order('QMALI0004'), amountFen: 1.5 }, ctx()))).toBe(
      'REQ_VALIDATION',
    );
    expect(await codeOf(plugin.createOrder({ ...order('QMALI0005'), channel: 'jsapi' }, ctx()))).toBe(
      'REQ_VALIDATION',
    );
    expect(await codeOf(plugin.createOrder(order('QM\u0000ALI'), ctx()))).toBe('REQ_VALIDATION');
    const bare = makeTestContext({
      pluginId: plugin.id,
      config: { ...config, appPrivateKey: undefined },
    }).ctx;
    expect(await codeOf(plugin.query('QMALI0001', 't', bare))).toBe('PAY_NOT_CONFIGURED');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '@quadmeter/sdk';
import { makeTestContext } from '@quadmeter/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatSandbox, type WechatSandbox } from '../sandbox/server.ts';
import type { WechatConfig } from './config.ts';
import { signedCallback, testMerchant, transaction } from './fixtures.ts';
import plugin from './index.ts';
import { parseWechatNotification } from './notify.ts';

async function code(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return isAppError(e) ? e.code : `not an AppError: ${String(e)}`;
  }
  return undefined;
}

const m = testMerchant();
const good = { key: m.platform.privateKey, serial: m.serial, apiV3Key: m.config.apiV3Key as string };

describe('callback verification', () => {
  it('takes a signed callback and refuses forged, tampered, stale, probe and wrong-merchant ones with exact codes', async () => {
    const ok = parseWechatNotification(signedCallback(transaction(), good), m.config);
    expect(ok.outcome).toMatchObject({ status: 'paid', amountFen: 12345 });
    expect(ok.ack.status).toBe(200);
    const valid = signedCallback(transaction(), good);
    const tampered = {
      ...valid,
      body: Buffer.from(Buffer.from(valid.body).toString().replace('10:00:01', '10:00:02')),
    };
    const cases: [string, ReturnType<typeof signedCallback>, string][] = [
      ['tampered body', tampered, 'PAY_SIGNATURE_INVALID'],
      [
        'unknown serial',
        signedCallback(transaction(), { ...good, serial: 'PUB_KEY_ID_X' }),
        'PAY_SIGNATURE_INVALID',
      ],
      [
        'signature test probe',
        signedCallback(transaction(), { ...good, signature: 'WECHATPAY/SIGNTEST/abc' }),
        'PAY_SIGNATURE_INVALID',
      ],
      [
        'stale by 301 s',
        signedCallback(transaction(), { ...good, timestamp: Math.floor(Date.now() / 1000) - 301 }),
        'PAY_NOTIFICATION_STALE',
      ],
      [
        'from the future',
        signedCallback(transaction(), { ...good, timestamp: Math.floor(Date.now() / 1000) + 400 }),
        'PAY_NOTIFICATION_STALE',
      ],
      ['other mchid', signedCallback(transaction({ mchid: '1900000999' }), good), 'PAY_MERCHANT_MISMATCH'],
      [
        'other appid',
        signedCallback(transaction({ appid: 'wx0000000000000000' }), good),
        'PAY_MERCHANT_MISMATCH',
      ],
      [
        'wrong APIv3 key',
        signedCallback(transaction(), { ...good, apiV3Key: 'q'.repeat(32) }),
        'PAY_SIGNATURE_INVALID',
      ],
    ];
    for (const [what, req, expected] of cases)
      expect(await code(() => parseWechatNotification(req, m.config)), what).toBe(expected);
    const { 'wechatpay-signature': _, ...unsigned } = valid.headers;
    expect(await code(() => parseWechatNotification({ ...valid, headers: unsigned }, m.config))).toBe(
      'PAY_SIGNATURE_INVALID',
    );
  });

  it('acknowledges a verified refund notification as the order refunded, and checks its merchant', async () => {
    const refund = {
      mchid: '1900000109',
      out_trade_no: 'QM20261201ABCDEF',
      transaction_id: '4200000001202612011234567890',
      out_refund_no: 'RF-1',
      refund_id: '50000000382019052709732678859',
      refund_status: 'SUCCESS',
      amount: { total: 12345, refund: 345, payer_total: 12345, payer_refund: 345 },
    };
    const v = parseWechatNotification(signedCallback(refund, { ...good, refund: true }), m.config);
    expect(v.outcome).toEqual({
      orderId: 'QM20261201ABCDEF',
      providerTxnId: '50000000382019052709732678859',
      status: 'refunded',
      amountFen: 345,
    });
    expect(v.ack.status).toBe(200);
    expect(
      await code(() =>
        parseWechatNotification(
          signedCallback({ ...refund, mchid: '1' }, { ...good, refund: true }),
          m.config,
        ),
      ),
    ).toBe('PAY_MERCHANT_MISMATCH');
    const tampered = signedCallback(refund, { ...good, refund: true });
    const body = Buffer.from(tampered.body);
    body[body.indexOf('REFUND') + 1] = 0x46;
    expect(await code(() => parseWechatNotification({ ...tampered, body }, m.config))).toBe(
      'PAY_SIGNATURE_INVALID',
    );
  });

  it('refuses everything while the merchant account is not configured', async () => {
    const { apiV3Key: _, ...bare } = m.config;
    expect(
      await code(() => parseWechatNotification(signedCallback(transaction(), good), bare as WechatConfig)),
    ).toBe('PAY_NOT_CONFIGURED');
  });

  it('verifies with a platform certificate chosen by its serial, and not once the certificate expired', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxcert-'));
    try {
      const keyPem = m.platform.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      writeFileSync(join(dir, 'k.pem'), keyPem);
      execFileSync(
        'openssl',
        [
          'req',
          '-new',
          '-x509',
          '-key',
          join(dir, 'k.pem'),
          '-out',
          join(dir, 'c.pem'),
          '-days',
          '2',
          '-subj',
          '/CN=Tenpay.com Root CA',
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(join(dir, 'c.pem'), 'utf8');
      const certMode = { ...m.config, platformKeys: { '3775B6A45ACD588826D15E583A95F5DD': cert } };
      const req = signedCallback(transaction(), { ...good, serial: '3775B6A45ACD588826D15E583A95F5DD' });
      expect(parseWechatNotification(req, certMode).outcome.status).toBe('paid');
      const later = new Date(Date.now() + 3 * 86400_000);
      const lateReq = signedCallback(transaction(), {
        ...good,
        serial: '3775B6A45ACD588826D15E583A95F5DD',
        timestamp: Math.floor(later.getTime() / 1000),
      });
      expect(await code(() => parseWechatNotification(lateReq, certMode, later))).toBe(
        'PAY_SIGNATURE_INVALID',
      );
      // both modes at once during a switch: the public key still verifies
      const both = { ...m.config, platformKeys: { ...m.config.platformKeys, ...certMode.platformKeys } };
      expect(parseWechatNotification(signedCallback(transaction(), good), both).outcome.status).toBe('paid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('against the loopback sandbox', () => {
  let sb: WechatSandbox;
  let config: WechatConfig;
  const ctx = () => makeTestContext({ pluginId: plugin.id, config }).ctx;
  beforeAll(async () => {
    sb = await startWechatSandbox({
      mchid: m.config.mchid as string,
      appid: m.config.appid as string,
      apiV3Key: m.config.apiV3Key as string,
      merchantPublicKey: m.merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      merchantSerial: m.config.merchantSerial as string,
    });
    config = { ...m.config, endpoint: sb.url, platformKeys: { [sb.serial]: sb.publicKeyPem } };
  });
  afterAll(async () => sb?.close());

  const order = (orderId: string, channel = 'native') => ({
    orderId,
    tenantId: 't',
    amountFen: 2500,
    description: '水费预存',
    channel,
    notifyUrl: 'http://127.0.0.1:9/hooks/payment-wechat/notify',
    expiresAt: new Date(Date.now() + 900_000).toISOString(),
  });

  it('creates a Native order (QR) and a JSAPI order (signed wx.requestPayment parameters)', async () => {
    const n = await plugin.createOrder(order('QMTEST000001'), ctx());
    expect(n).toMatchObject({
      status: 'pending',
      action: { type: 'qr', codeUrl: 'weixin://wxpay/bizpayurl?pr=QMTEST000001' },
    });
    const j = await plugin.createOrder(
      { ...order('QMTEST000002', 'jsapi'), payer: { openId: 'o-1' } },
      ctx(),
    );
    expect(j.action.type).toBe('sdk-params');
    expect(await code(plugin.createOrder(order('QMTEST000003', 'jsapi'), ctx()))).toBe('REQ_VALIDATION');
    expect(await code(plugin.createOrder(order('QMTEST000004', 'h5'), ctx()))).toBe('REQ_VALIDATION');
  });

  it('a merchant signing with the wrong key is refused by the provider', async () => {
    const other = testMerchant();
    const bad = { ...config, merchantPrivateKey: other.config.merchantPrivateKey };
    expect(
      await code(
        plugin.createOrder(order('QMTEST000005'), makeTestContext({ pluginId: plugin.id, config: bad }).ctx),
      ),
    ).toBe('PAY_PROVIDER_ERROR');
  });

  it('an answer not signed by the platform key is refused', async () => {
    const other = testMerchant();
    const wrongKey = { ...config, platformKeys: { [sb.serial]: other.config.platformKeys[other.serial] } };
    expect(
      await code(
        plugin.query('QMTEST000001', 't', makeTestContext({ pluginId: plugin.id, config: wrongKey }).ctx),
      ),
    ).toBe('PAY_SIGNATURE_INVALID');
  });

  it('queries, verifies the sandbox callback, refunds idempotently and reads the trade bill', async () => {
    expect((await plugin.query('QMTEST000001', 't', ctx())).status).toBe('pending');
    expect((await plugin.query('QMNOSUCHORDER', 't', ctx())).status).toBe('failed');
    const n = sb.pay('QMTEST000001');
    const req = {
      method: 'POST' as const,
      path: '/notify',
      params: {},
      query: {},
      headers: n.headers,
      body: new Uint8Array(n.body),
    };
    const v = await plugin.parseNotification(req, ctx());
    expect(v.outcome).toMatchObject({ orderId: 'QMTEST000001', status: 'paid', amountFen: 2500 });
    const t = sb.tamper(n);
    expect(await code(plugin.parseNotification({ ...req, body: new Uint8Array(t.body) }, ctx()))).toBe(
      'PAY_SIGNATURE_INVALID',
    );
    const stale = sb.notification('QMTEST000001', { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(
      await code(
        plugin.parseNotification({ ...req, headers: stale.headers, body: new Uint8Array(stale.body) }, ctx()),
      ),
    ).toBe('PAY_NOTIFICATION_STALE');
    const q = await plugin.query('QMTEST000001', 't', ctx());
    expect(q).toMatchObject({ status: 'paid', amountFen: 2500, providerTxnId: v.outcome.providerTxnId });

    const r = {
      refundId: 'RF-QMTEST000001-1',
      orderId: 'QMTEST000001',
      tenantId: 't',
      amountFen: 1000,
      totalFen: 2500,
      reason: '多缴',
    };
    const first = await plugin.refund(r, ctx());
    const again = await plugin.refund(r, ctx());
    expect(first.status).toBe('succeeded');
    expect(again.providerRefundId).toBe(first.providerRefundId);
    expect(sb.orders().get('QMTEST000001')?.refunds).toHaveLength(1);
    expect(await code(plugin.refund({ ...r, refundId: 'RF-2', amountFen: 1600 }, ctx()))).toBe(
      'PAY_PROVIDER_ERROR',
    );

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const lines = await plugin.reconcile({ tenantId: 't', date: today, content: sb.statement(today) }, ctx());
    expect(lines).toEqual([
      expect.objectContaining({
        orderId: 'QMTEST000001',
        kind: 'payment',
        amountFen: 2500,
        providerTxnId: v.outcome.providerTxnId,
      }),
      expect.objectContaining({
        orderId: 'QMTEST000001',
        kind: 'refund',
        amountFen: 1000,
        providerTxnId: first.providerRefundId,
      }),
    ]);
  });

  it('refuses a trade bill with one unreadable line', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const text = sb.statement(today).replace('`25.00', '`25.0');
    expect(await code(plugin.reconcile({ tenantId: 't', date: today, content: text }, ctx()))).toBe(
      'FILE_UNREADABLE',
    );
    expect(await code(plugin.reconcile({ tenantId: 't', date: today, content: 'a,b\n' }, ctx()))).toBe(
      'FILE_UNREADABLE',
    );
  });
});

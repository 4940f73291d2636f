import { generateKeyPairSync } from 'node:crypto';
import { type AlipaySandbox, startAlipaySandbox } from '@quadmeter/payment-alipay/sandbox';
import { startUnionpaySandbox, type UnionpaySandbox } from '@quadmeter/payment-unionpay/sandbox';
import { startWechatSandbox, type WechatSandbox } from '@quadmeter/payment-wechat/sandbox';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';

export const MCHID = '1900000109';
export const APPID = 'wxd678efh567hg6787';
export const API_V3_KEY = 'Qm0123456789abcdefQm0123456789ab';

/** The platform with payment-wechat configured against a loopback sandbox, enabled for the demo tenant; `env` adds settings. */
export async function platformWithWechat(
  env: Record<string, string> = {},
): Promise<{ p: TestPlatform; sb: WechatSandbox; admin: Client }> {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchantSerial = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
  const sb = await startWechatSandbox({
    mchid: MCHID,
    appid: APPID,
    apiV3Key: API_V3_KEY,
    merchantPublicKey: merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    merchantSerial,
  });
  const p = await startTestPlatform({
    QUADMETER_PLUGIN_PAYMENT_WECHAT: JSON.stringify({
      endpoint: sb.url,
      mchid: MCHID,
      appid: APPID,
      apiV3Key: API_V3_KEY,
      merchantSerial,
      merchantPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      platformKeys: { [sb.serial]: sb.publicKeyPem },
    }),
    ...env,
  });
  const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const on = await admin.put('/api/v1/plugins/payment-wechat/tenant', { enabled: true });
  expect(on.status, JSON.stringify(on.body)).toBe(200);
  return { p, sb, admin };
}

export const ALIPAY_APP_ID = '2021000122600001';
export const ALIPAY_SELLER_ID = '2088102177800001';

/** The platform with payment-alipay configured against its loopback sandbox, enabled for the demo tenant. */
export async function platformWithAlipay(): Promise<{ p: TestPlatform; sb: AlipaySandbox; admin: Client }> {
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sb = await startAlipaySandbox({
    appId: ALIPAY_APP_ID,
    sellerId: ALIPAY_SELLER_ID,
    appPublicKey: app.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  const p = await startTestPlatform({
    QUADMETER_PLUGIN_PAYMENT_ALIPAY: JSON.stringify({
      endpoint: sb.url,
      appId: ALIPAY_APP_ID,
      sellerId: ALIPAY_SELLER_ID,
      appPrivateKey: app.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      alipayPublicKey: sb.publicKeyPem,
    }),
  });
  const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const on = await admin.put('/api/v1/plugins/payment-alipay/tenant', { enabled: true });
  expect(on.status, JSON.stringify(on.body)).toBe(200);
  return { p, sb, admin };
}

export const MER_ID = '777290058110048';

/** The platform with payment-unionpay configured against its loopback sandbox, enabled for the demo tenant. */
export async function platformWithUnionpay(): Promise<{
  p: TestPlatform;
  sb: UnionpaySandbox;
  admin: Client;
}> {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certId = '69629715588';
  const sb = await startUnionpaySandbox({
    merId: MER_ID,
    certId,
    merchantPublicKey: merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  const p = await startTestPlatform({
    QUADMETER_PLUGIN_PAYMENT_UNIONPAY: JSON.stringify({
      endpoint: sb.url,
      merId: MER_ID,
      certId,
      merchantPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      rootCert: sb.rootCert,
      middleCert: sb.middleCert,
    }),
  });
  const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const on = await admin.put('/api/v1/plugins/payment-unionpay/tenant', { enabled: true });
  expect(on.status, JSON.stringify(on.body)).toBe(200);
  return { p, sb, admin };
}

/** Rows of the online money tables over all tenants: nothing may change on a refused request. */
export async function orderCounts(p: TestPlatform) {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from payment_orders)::int as orders,
      (select count(*) from payment_orders where status = 'paid')::int as paid,
      (select count(*) from payment_orders where flag is not null)::int as flagged,
      (select count(*) from payment_refunds)::int as refunds,
      (select count(*) from payments)::int as payments,
      (select count(*) from ledger_entries)::int as entries`),
  );
  return row as Record<string, number>;
}

/** Creates a Native order for the account and returns it. */
export async function nativeOrder(
  c: Client,
  accountId: string,
  amountFen = 2500,
  provider = 'payment-wechat',
) {
  const r = await c.post('/api/v1/payment-orders', {
    accountId,
    provider,
    channel: 'native',
    amountFen,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; orderNo: string; status: string; action: { type: string; codeUrl: string } };
}

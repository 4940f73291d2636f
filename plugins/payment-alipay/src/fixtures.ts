import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { PluginRequest } from '@quadmeter/sdk';
import type { AlipayConfig } from './config.ts';
import { beijingText, rsa2Sign, signContent } from './sign.ts';

/** Test keys and an application (test files only). */
export function testApp() {
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const config: AlipayConfig = {
    endpoint: 'http://127.0.0.1:9/gateway.do',
    appId: '2021000122600001',
    sellerId: '2088102177800001',
    appPrivateKey: app.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    alipayPublicKey: alipay.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    maxSkewSec: 900,
    timeoutMs: 2000,
  };
  return { app, alipay, config };
}

export function tradeParams(over: Record<string, string> = {}): Record<string, string> {
  return {
    notify_time: beijingText(new Date()),
    notify_type: 'trade_status_sync',
    notify_id: 'ac05099524730693a8b330c5ecf72da9786',
    app_id: '2021000122600001',
    charset: 'utf-8',
    version: '1.0',
    sign_type: 'RSA2',
    trade_no: '2026120122001480001234567890',
    out_trade_no: 'QM20261201ABCDEF',
    buyer_id: '2088102177846880',
    seller_id: '2088102177800001',
    trade_status: 'TRADE_SUCCESS',
    total_amount: '123.45',
    subject: '水费 预存',
    gmt_payment: '2026-12-01 10:00:00',
    ...over,
  };
}

/** A form notification signed with `key` (sign_type left out of the content, as the provider does). */
export function signedNotify(p: Record<string, string>, key: KeyObject, sign?: string): PluginRequest {
  const body = new URLSearchParams({ ...p, sign: sign ?? rsa2Sign(signContent(p), key) }).toString();
  return {
    method: 'POST',
    path: '/notify',
    params: {},
    query: {},
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new Uint8Array(Buffer.from(body, 'utf8')),
  };
}

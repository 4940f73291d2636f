import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { PluginRequest } from '@quadmeter/sdk';
import { encryptResource } from './aead.ts';
import type { WechatConfig } from './config.ts';
import { callbackMessage, rsaSign } from './sign.ts';

/** Test keys and a merchant account (test files only). */
export function testMerchant() {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serial = 'PUB_KEY_ID_0114TEST0001';
  const config: WechatConfig = {
    endpoint: 'http://127.0.0.1:9',
    mchid: '1900000109',
    appid: 'wxd678efh567hg6787',
    apiV3Key: 'a'.repeat(16) + 'B'.repeat(16),
    merchantSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    merchantPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    platformKeys: { [serial]: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    maxSkewSec: 300,
    timeoutMs: 2000,
  };
  return { merchant, platform, serial, config };
}

export function transaction(over: Record<string, unknown> = {}) {
  return {
    appid: 'wxd678efh567hg6787',
    mchid: '1900000109',
    out_trade_no: 'QM20261201ABCDEF',
    transaction_id: '4200000001202612011234567890',
    trade_type: 'NATIVE',
    trade_state: 'SUCCESS',
    success_time: '2026-12-01T10:00:00+08:00',
    amount: { total: 12345, payer_total: 12345, currency: 'CNY', payer_currency: 'CNY' },
    ...over,
  };
}

/** A callback signed with `key` under `serial`, its resource encrypted with `apiV3Key`. */
export function signedCallback(
  t: Record<string, unknown>,
  o: {
    key: Parameters<typeof rsaSign>[1];
    serial: string;
    apiV3Key: string;
    timestamp?: number;
    signature?: string;
    refund?: boolean;
  },
): PluginRequest {
  const nonce = randomBytes(6).toString('hex');
  const env = {
    id: 'EV-2018022511223320873',
    create_time: '2026-12-01T10:00:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: o.refund ? 'REFUND.SUCCESS' : 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: o.refund ? 'refund' : 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: encryptResource(JSON.stringify(t), o.apiV3Key, nonce, 'transaction'),
      associated_data: 'transaction',
      nonce,
    },
  };
  const body = Buffer.from(JSON.stringify(env), 'utf8');
  const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const n = randomBytes(16).toString('hex');
  return {
    method: 'POST',
    path: '/notify',
    params: {},
    query: {},
    headers: {
      'content-type': 'application/json',
      'wechatpay-timestamp': ts,
      'wechatpay-nonce': n,
      'wechatpay-serial': o.serial,
      'wechatpay-signature': o.signature ?? rsaSign(callbackMessage(ts, n, body), o.key),
    },
    body: new Uint8Array(body),
  };
}

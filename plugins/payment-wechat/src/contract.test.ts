import { generateKeyPairSync } from 'node:crypto';
import { describePaymentContract } from '@quadmeter/sdk/testing';
import { signedCallback, testMerchant, transaction } from './fixtures.ts';
import plugin from './index.ts';

const m = testMerchant();
const good = { key: m.platform.privateKey, serial: m.serial, apiV3Key: m.config.apiV3Key as string };
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

describePaymentContract(plugin, {
  config: m.config,
  forgedNotifications: [
    signedCallback(transaction(), { ...good, key: stranger }),
    signedCallback(transaction(), { ...good, serial: 'PUB_KEY_ID_UNKNOWN' }),
    signedCallback(transaction(), { ...good, signature: 'WECHATPAY/SIGNTEST/AAAA' }),
    signedCallback(transaction(), { ...good, timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    signedCallback(transaction({ mchid: '1900000999' }), good),
    signedCallback(transaction(), { ...good, apiV3Key: 'z'.repeat(32) }),
  ],
  validNotification: {
    request: signedCallback(transaction(), good),
    expect: {
      orderId: 'QM20261201ABCDEF',
      providerTxnId: '4200000001202612011234567890',
      status: 'paid',
      amountFen: 12345,
      paidAt: '2026-12-01T02:00:00.000Z',
    },
  },
  signatureHeaders: ['Wechatpay-Signature'],
});

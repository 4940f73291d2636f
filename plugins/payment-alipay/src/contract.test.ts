import { generateKeyPairSync } from 'node:crypto';
import { describePaymentContract } from '@quadmeter/sdk/testing';
import { signedNotify, testApp, tradeParams } from './fixtures.ts';
import plugin from './index.ts';
import { beijingText } from './sign.ts';

const t = testApp();
const key = t.alipay.privateKey;
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

describePaymentContract(plugin, {
  config: t.config,
  forgedNotifications: [
    signedNotify(tradeParams(), stranger),
    signedNotify(tradeParams(), key, 'AAAA'),
    signedNotify(tradeParams({ sign_type: 'RSA' }), key),
    signedNotify(tradeParams({ notify_time: beijingText(new Date(Date.now() - 3600_000)) }), key),
    signedNotify(tradeParams({ app_id: '2021000122609999' }), key),
    signedNotify(tradeParams({ seller_id: '2088102177809999' }), key),
    signedNotify(tradeParams({ total_amount: '123.456' }), key),
  ],
  validNotification: {
    request: signedNotify(tradeParams(), key),
    expect: {
      orderId: 'QM20261201ABCDEF',
      providerTxnId: '2026120122001480001234567890',
      status: 'paid',
      amountFen: 12345,
      paidAt: '2026-12-01T02:00:00.000Z',
    },
  },
});

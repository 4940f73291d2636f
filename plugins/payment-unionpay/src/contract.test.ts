import { describePaymentContract } from '@quadmeter/sdk/testing';
import { afterAll } from 'vitest';
import { asRequest, sandboxMerchant } from './fixtures.ts';
import plugin from './index.ts';
import { createUnionpayOrder } from './orders.ts';

const { sb, config, raw } = await sandboxMerchant();
await createUnionpayOrder(
  {
    orderId: 'QM20261201000000ABCDEF',
    tenantId: 't',
    amountFen: 12345,
    description: '水费',
    channel: 'native',
    notifyUrl: 'http://127.0.0.1:9/hooks/payment-unionpay/notify',
  },
  config,
);
const paid = sb.pay('QM20261201000000ABCDEF');
afterAll(() => sb.close());

describePaymentContract(plugin, {
  config: raw,
  forgedNotifications: [
    asRequest(sb.notification('QM20261201000000ABCDEF', { forged: true })),
    asRequest(sb.notification('QM20261201000000ABCDEF', { untrusted: true })),
    asRequest(sb.notification('QM20261201000000ABCDEF', { expired: true })),
    asRequest(sb.notification('QM20261201000000ABCDEF', { otherCn: true })),
    asRequest(sb.notification('QM20261201000000ABCDEF', { merId: '777290058110049' })),
    asRequest(sb.tamper(paid)),
  ],
  validNotification: {
    request: asRequest(paid),
    expect: {
      orderId: 'QM20261201000000ABCDEF',
      providerTxnId: sb.orders().get('QM20261201000000ABCDEF')?.queryId,
      status: 'paid',
      amountFen: 12345,
    },
  },
  signatureHeaders: [],
});

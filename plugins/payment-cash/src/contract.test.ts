import { describePaymentContract } from '@quadmeter/sdk/testing';
import plugin from './index.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describePaymentContract(plugin, {
  forgedNotifications: [
    { method: 'POST', path: '/notify', params: {}, query: {}, headers: {}, body: enc('{"amount":100}') },
    {
      method: 'POST',
      path: '/notify',
      params: {},
      query: {},
      headers: { 'content-type': 'application/json' },
      body: enc('{"orderId":"x","status":"paid","amountFen":1}'),
    },
  ],
  skip: {
    validNotification:
      'counter payments are settled in the room and have no provider notification to verify; every one is refused',
  },
});

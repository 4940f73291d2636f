import { AppError, definePayment } from '@quadmeter/sdk';
import { counterRefund, createCounterOrder, refuseNotification } from './counter.ts';
import { settingsSchema } from './settings.ts';
import { parseTerminalStatement } from './statement.ts';

export default definePayment({
  kind: 'payment',
  id: 'payment-cash',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '柜台收费（现金／刷卡）', en: 'Counter payments (cash / card terminal)' },
  tenantSettings: settingsSchema,
  createOrder: async (order) => createCounterOrder(order),
  parseNotification: async () => refuseNotification(),
  query: async (orderId) => {
    throw new AppError('RESOURCE_NOT_FOUND', 'Counter payments are kept by the core, not a provider', {
      orderId,
    });
  },
  refund: async (request) => counterRefund(request),
  reconcile: async (statement) => parseTerminalStatement(statement),
});

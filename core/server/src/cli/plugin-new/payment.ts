import type { Template } from './template.ts';

/** A payment: orders and notifications in provider.ts, the contract with forged notifications. */
export const paymentTemplate: Template = ({ id, title }) => ({
  'src/index.ts': `import { definePayment } from '@quadmeter/sdk';
import { createOrder, parseNotification, query, reconcile, refund } from './provider.ts';

export default definePayment({
  kind: 'payment',
  id: '${id}',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '${title}', en: '${title}' },
  createOrder,
  parseNotification,
  query,
  refund,
  reconcile,
});
`,
  'src/provider.ts': `import {
  AppError,
  type CreatedOrder,
  type OrderRequest,
  type PaymentOutcome,
  type PluginRequest,
  type RefundRequest,
  type RefundResult,
  type StatementLine,
  type VerifiedNotification,
} from '@quadmeter/sdk';

// Replace each function body with your provider's API. Until then every call is refused with a
// stable code, and every notification is refused: nothing unverified can mark a bill paid.

export async function createOrder(order: OrderRequest): Promise<CreatedOrder> {
  if (!Number.isSafeInteger(order.amountFen) || order.amountFen <= 0)
    throw new AppError('REQ_VALIDATION', 'amountFen must be a positive whole number of fen');
  throw new AppError('SERVICE_UNAVAILABLE', 'the payment provider is not connected yet');
}

export async function parseNotification(_request: PluginRequest): Promise<VerifiedNotification> {
  throw new AppError('PAY_SIGNATURE_INVALID', 'notifications are not verified yet');
}

export async function query(orderId: string): Promise<PaymentOutcome> {
  throw new AppError('SERVICE_UNAVAILABLE', \`cannot query order \${orderId}: provider not connected\`);
}

export async function refund(request: RefundRequest): Promise<RefundResult> {
  throw new AppError('SERVICE_UNAVAILABLE', \`cannot refund \${request.refundId}: provider not connected\`);
}

export async function reconcile(): Promise<StatementLine[]> {
  return [];
}
`,
  'fixtures/forged-notification.json': `${JSON.stringify({ orderId: 'o-1', status: 'paid', amountFen: 1 }, null, 2)}\n`,
  'src/contract.test.ts': `import { describePaymentContract } from '@quadmeter/sdk/testing';
import forged from '../fixtures/forged-notification.json' with { type: 'json' };
import plugin from './index.ts';

const body = new TextEncoder().encode(JSON.stringify(forged));

describePaymentContract(plugin, {
  forgedNotifications: [
    { method: 'POST', path: '/notify', params: {}, query: {}, headers: { 'content-type': 'application/json' }, body },
  ],
  skip: { validNotification: 'no provider signature is verified yet: record a signed notification in fixtures/' },
});
`,
});

import { definePayment } from '@quadmeter/sdk';
import { configSchema, isReady } from './config.ts';
import { parseAlipayNotification } from './notify.ts';
import { createAlipayOrder, queryAlipayOrder, refundAlipay } from './orders.ts';
import { readAlipayBill } from './statement.ts';

export default definePayment({
  kind: 'payment',
  id: 'payment-alipay',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '支付宝（当面付扫码）', en: 'Alipay (QR code)' },
  config: configSchema,
  createOrder: (order, ctx) => createAlipayOrder(order, ctx.config, ctx.signal),
  parseNotification: async (req, ctx) => parseAlipayNotification(req, ctx.config),
  query: (orderId, _tenantId, ctx) => queryAlipayOrder(orderId, ctx.config, ctx.signal),
  refund: (req, ctx) => refundAlipay(req, ctx.config, ctx.signal),
  reconcile: async (statement) => readAlipayBill(statement),
  health: (ctx) =>
    isReady(ctx.config) ? { ok: true } : { ok: false, detail: 'the Alipay application is not configured' },
});

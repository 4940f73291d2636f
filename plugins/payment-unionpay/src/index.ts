import { definePayment } from '@quadmeter/sdk';
import { configSchema, isReady } from './config.ts';
import { parseUnionpayNotification } from './notify.ts';
import { createUnionpayOrder, queryUnionpayOrder, refundUnionpay } from './orders.ts';
import { readStatement } from './statement.ts';

export default definePayment({
  kind: 'payment',
  id: 'payment-unionpay',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '银联在线支付（全渠道 5.1.0）', en: 'UnionPay online (ACP 5.1.0)' },
  config: configSchema,
  createOrder: (order, ctx) => createUnionpayOrder(order, ctx.config, ctx.signal),
  parseNotification: async (req, ctx) => parseUnionpayNotification(req, ctx.config),
  query: (orderId, _tenantId, ctx) => queryUnionpayOrder(orderId, ctx.config, ctx.signal),
  refund: (req, ctx) => refundUnionpay(req, ctx.config, ctx.signal),
  reconcile: async (statement) => readStatement(statement),
  health: (ctx) =>
    isReady(ctx.config) ? { ok: true } : { ok: false, detail: 'the merchant account is not configured' },
});

import { definePayment } from '@quadmeter/sdk';
import { configSchema, isReady } from './config.ts';
import { parseWechatNotification } from './notify.ts';
import { createWechatOrder, queryWechatOrder, refundWechat } from './orders.ts';
import { readTradeBill } from './statement.ts';

export default definePayment({
  kind: 'payment',
  id: 'payment-wechat',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '微信支付（API v3）', en: 'WeChat Pay (API v3)' },
  config: configSchema,
  createOrder: (order, ctx) => createWechatOrder(order, ctx.config, ctx.signal),
  parseNotification: async (req, ctx) => parseWechatNotification(req, ctx.config),
  query: (orderId, _tenantId, ctx) => queryWechatOrder(orderId, ctx.config, ctx.signal),
  refund: (req, ctx) => refundWechat(req, ctx.config, ctx.signal),
  reconcile: async (statement) => readTradeBill(statement),
  health: (ctx) =>
    isReady(ctx.config) ? { ok: true } : { ok: false, detail: 'the merchant account is not configured' },
});

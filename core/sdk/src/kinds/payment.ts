import { z } from 'zod';
import type { PluginContext } from '../plugin/context.ts';
import { fnSchema, type PluginHeader } from '../plugin/header.ts';
import type { PluginRequest, PluginResponse } from '../plugin/http.ts';

export type PaymentStatus = 'pending' | 'paid' | 'closed' | 'failed' | 'refunded' | 'partially-refunded';

export interface OrderRequest {
  /** our order number, unique per tenant; the provider's out_trade_no */
  orderId: string;
  tenantId: string;
  /** integer fen */
  amountFen: number;
  description: string;
  /** e.g. 'native' (QR), 'jsapi', 'h5', 'app', 'counter' */
  channel: string;
  /** absolute URL of our `/hooks/<id>/…` callback */
  notifyUrl: string;
  expiresAt?: string;
  payer?: { openId?: string; userId?: string; ip?: string };
}

export type PayAction =
  | { type: 'qr'; codeUrl: string }
  | { type: 'redirect'; url: string }
  | { type: 'sdk-params'; params: Record<string, string> }
  | { type: 'none' };

export interface CreatedOrder {
  orderId: string;
  providerOrderId?: string;
  status: PaymentStatus;
  action: PayAction;
}

/** A provider's verdict on an order, normalized. */
export interface PaymentOutcome {
  orderId: string;
  providerTxnId: string;
  status: PaymentStatus;
  amountFen: number;
  paidAt?: string;
}

/** A verified notification and the reply the provider expects (e.g. 'success', `{code:'SUCCESS'}`). */
export interface VerifiedNotification {
  outcome: PaymentOutcome;
  ack: PluginResponse;
}

export interface RefundRequest {
  refundId: string;
  orderId: string;
  tenantId: string;
  amountFen: number;
  totalFen: number;
  reason: string;
}

export interface RefundResult {
  refundId: string;
  providerRefundId?: string;
  status: 'pending' | 'succeeded' | 'failed';
}

export interface Statement {
  tenantId: string;
  /** the business day, YYYY-MM-DD */
  date: string;
  /** the provider's bill file as downloaded */
  content: string | Uint8Array;
}

export interface StatementLine {
  providerTxnId: string;
  orderId?: string;
  kind: 'payment' | 'refund';
  amountFen: number;
  feeFen: number;
  ts: string;
}

export interface PaymentPlugin<C = unknown, S = unknown> extends PluginHeader<C, S> {
  kind: 'payment';
  createOrder(order: OrderRequest, ctx: PluginContext<C>): Promise<CreatedOrder>;
  /** verifies the signature over the raw body and rejects with an AppError when it does not hold */
  parseNotification(request: PluginRequest, ctx: PluginContext<C>): Promise<VerifiedNotification>;
  query(orderId: string, tenantId: string, ctx: PluginContext<C>): Promise<PaymentOutcome>;
  refund(request: RefundRequest, ctx: PluginContext<C>): Promise<RefundResult>;
  reconcile(statement: Statement, ctx: PluginContext<C>): Promise<StatementLine[]>;
}

/** Identity helper: gives a payment definition its types. */
export function definePayment<C = unknown, S = unknown>(plugin: PaymentPlugin<C, S>): PaymentPlugin<C, S> {
  return plugin;
}

export const paymentShapeSchema = z.looseObject({
  kind: z.literal('payment'),
  createOrder: fnSchema,
  parseNotification: fnSchema,
  query: fnSchema,
  refund: fnSchema,
  reconcile: fnSchema,
});

import {
  AppError,
  type CreatedOrder,
  isFen,
  Money,
  type OrderRequest,
  type PaymentOutcome,
  type RefundRequest,
  type RefundResult,
} from '@quadmeter/sdk';
import type { AlipayConfig } from './config.ts';
import { failure, gateway, ready } from './gateway.ts';
import { beijingText } from './sign.ts';
import { outcomeOf, type Trade } from './trade.ts';

const OUT_NO = /^[0-9A-Za-z_]{6,64}$/;

function checkOrderNo(no: string) {
  if (!OUT_NO.test(no)) throw new AppError('REQ_VALIDATION', 'The order number does not fit out_trade_no');
}

/** A face-to-face QR order (`alipay.trade.precreate`); the payer scans the answered qr_code. */
export async function createAlipayOrder(
  order: OrderRequest,
  config: AlipayConfig,
  signal?: AbortSignal,
): Promise<CreatedOrder> {
  const c = ready(config);
  checkOrderNo(order.orderId);
  if (!isFen(order.amountFen) || order.amountFen <= 0)
    throw new AppError('REQ_VALIDATION', 'The amount must be a positive whole number of fen');
  if (order.channel !== 'native')
    throw new AppError('REQ_VALIDATION', 'payment-alipay takes native (QR) orders', {
      channel: order.channel,
    });
  const a = await gateway(
    c,
    'alipay.trade.precreate',
    {
      out_trade_no: order.orderId,
      total_amount: Money.toYuan(order.amountFen),
      subject: order.description.slice(0, 256) || order.orderId,
      ...(order.expiresAt && { time_expire: beijingText(new Date(order.expiresAt)) }),
    },
    { notify_url: order.notifyUrl },
    signal,
  );
  if (a.code !== '10000') throw failure(a);
  if (typeof a.qr_code !== 'string') throw new AppError('PAY_PROVIDER_ERROR', 'No qr_code in the answer');
  return { orderId: order.orderId, status: 'pending', action: { type: 'qr', codeUrl: a.qr_code } };
}

/** The provider's view (`alipay.trade.query`); a trade it never saw is 'failed' with no transaction. */
export async function queryAlipayOrder(
  orderId: string,
  config: AlipayConfig,
  signal?: AbortSignal,
): Promise<PaymentOutcome> {
  const c = ready(config);
  checkOrderNo(orderId);
  const a = await gateway(c, 'alipay.trade.query', { out_trade_no: orderId }, {}, signal);
  if (a.sub_code === 'ACQ.TRADE_NOT_EXIST')
    return { orderId, providerTxnId: '', status: 'failed', amountFen: 0 };
  if (a.code !== '10000') throw failure(a);
  return outcomeOf(a as Trade);
}

/**
 * A refund (`alipay.trade.refund`): our refund number is out_request_no, so a retry with it never
 * refunds twice (the provider answers `fund_change: N`). The refund number is also the refund's
 * provider id, as the statement lists it.
 */
export async function refundAlipay(
  req: RefundRequest,
  config: AlipayConfig,
  signal?: AbortSignal,
): Promise<RefundResult> {
  const c = ready(config);
  checkOrderNo(req.orderId);
  if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(req.refundId))
    throw new AppError('REQ_VALIDATION', 'The refund number does not fit out_request_no');
  if (!isFen(req.amountFen) || req.amountFen <= 0 || req.amountFen > req.totalFen)
    throw new AppError('REQ_VALIDATION', 'The refund must be positive and at most the payment');
  const a = await gateway(
    c,
    'alipay.trade.refund',
    {
      out_trade_no: req.orderId,
      refund_amount: Money.toYuan(req.amountFen),
      out_request_no: req.refundId,
      refund_reason: req.reason.slice(0, 256),
    },
    {},
    signal,
  );
  if (a.code !== '10000') throw failure(a);
  if (a.out_trade_no !== req.orderId)
    throw new AppError('PAY_PROVIDER_ERROR', 'The refund answer names another order');
  return { refundId: req.refundId, providerRefundId: req.refundId, status: 'succeeded' };
}

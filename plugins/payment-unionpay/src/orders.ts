import {
  AppError,
  type CreatedOrder,
  isFen,
  type OrderRequest,
  type PaymentOutcome,
  type RefundRequest,
  type RefundResult,
} from '@quadmeter/sdk';
import { call, providerError, ready, txnTime } from './client.ts';
import type { ReadyConfig, UnionpayConfig } from './config.ts';
import type { Fields } from './sign.ts';
import { consumeOutcome, statusOf } from './transaction.ts';

/** orderId: 8–40 letters and digits, unique per merId (our order and refund numbers both). */
const ORDER_ID = /^[0-9A-Za-z]{8,40}$/;
export const BACK = '/gateway/api/backTransReq.do';
export const QUERY = '/gateway/api/queryTrans.do';

function checkId(id: string, what: string): void {
  if (!ORDER_ID.test(id)) throw new AppError('REQ_VALIDATION', `The ${what} does not fit orderId`);
}

/** A QR order (申码, txnType 01 / txnSubType 07): the answer's qrCode is shown to the payer. */
export async function createUnionpayOrder(
  order: OrderRequest,
  config: UnionpayConfig,
  signal?: AbortSignal,
): Promise<CreatedOrder> {
  const c = ready(config);
  checkId(order.orderId, 'order number');
  if (!isFen(order.amountFen) || order.amountFen <= 0)
    throw new AppError('REQ_VALIDATION', 'The amount must be a positive whole number of fen');
  if (order.channel !== 'native')
    throw new AppError('REQ_VALIDATION', 'payment-unionpay takes native (QR) orders', {
      channel: order.channel,
    });
  const a = await call(
    c,
    BACK,
    {
      txnType: '01',
      txnSubType: '07',
      bizType: '000000',
      channelType: '08',
      orderId: order.orderId,
      txnTime: txnTime(),
      txnAmt: String(order.amountFen),
      currencyCode: '156',
      backUrl: order.notifyUrl,
      ...(order.expiresAt && { payTimeout: txnTime(new Date(order.expiresAt)) }),
    },
    signal,
  );
  if (a.respCode !== '00') throw providerError(a);
  if (!a.qrCode) throw new AppError('PAY_PROVIDER_ERROR', 'No qrCode in the answer');
  return { orderId: order.orderId, status: 'pending', action: { type: 'qr', codeUrl: a.qrCode } };
}

/** queryTrans for one of our orderIds; `undefined` when the provider has no such transaction. */
async function queryTrans(
  c: ReadyConfig,
  orderId: string,
  signal?: AbortSignal,
): Promise<Fields | undefined> {
  const a = await call(
    c,
    QUERY,
    { txnType: '00', txnSubType: '00', bizType: '000000', orderId, txnTime: txnTime() },
    signal,
  );
  if (a.respCode === '34') return undefined;
  if (a.respCode !== '00') throw providerError(a);
  return a;
}

/** The provider's view of an order; an order it never saw is 'failed' with no transaction. */
export async function queryUnionpayOrder(
  orderId: string,
  config: UnionpayConfig,
  signal?: AbortSignal,
): Promise<PaymentOutcome> {
  const c = ready(config);
  checkId(orderId, 'order number');
  const a = await queryTrans(c, orderId, signal);
  if (!a) return { orderId, providerTxnId: '', status: 'failed', amountFen: 0 };
  return consumeOutcome(a, a.origRespCode);
}

/**
 * A refund (退货, txnType 04) of the original queryId. Our refund number is the refund's own
 * orderId, so a retry with it is answered as a duplicate and never refunds twice; the result is
 * read back by querying that orderId. reqReserved carries our order number, so the refund's
 * notification names the order.
 */
export async function refundUnionpay(
  req: RefundRequest,
  config: UnionpayConfig,
  signal?: AbortSignal,
): Promise<RefundResult> {
  const c = ready(config);
  checkId(req.refundId, 'refund number');
  if (!isFen(req.amountFen) || req.amountFen <= 0 || req.amountFen > req.totalFen)
    throw new AppError('REQ_VALIDATION', 'The refund must be positive and at most the payment');
  const orig = await queryTrans(c, req.orderId, signal);
  if (!orig || statusOf(orig.origRespCode) !== 'paid' || !orig.queryId)
    throw new AppError('PAY_PROVIDER_ERROR', 'The order is not paid at the provider');
  const a = await call(
    c,
    BACK,
    {
      txnType: '04',
      txnSubType: '00',
      bizType: '000000',
      channelType: '08',
      orderId: req.refundId,
      origQryId: orig.queryId,
      txnTime: txnTime(),
      txnAmt: String(req.amountFen),
      currencyCode: '156',
      reqReserved: req.orderId,
    },
    signal,
  );
  // 12: 重复交易 — this refund number was already sent; its result is read below
  if (a.respCode !== '00' && a.respCode !== '12') throw providerError(a);
  const r = await queryTrans(c, req.refundId, signal);
  const status = !r ? 'pending' : statusOf(r.origRespCode);
  return {
    refundId: req.refundId,
    ...(r?.queryId && { providerRefundId: r.queryId }),
    status: status === 'paid' ? 'succeeded' : status === 'pending' ? 'pending' : 'failed',
  };
}

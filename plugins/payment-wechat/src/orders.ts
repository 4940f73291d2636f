import {
  AppError,
  type CreatedOrder,
  isFen,
  type OrderRequest,
  type PaymentOutcome,
  type RefundRequest,
  type RefundResult,
} from '@quadmeter/sdk';
import { call, nonce, ready } from './client.ts';
import type { WechatConfig } from './config.ts';
import { privateKeyOf, rsaSign } from './sign.ts';
import { outcomeOf, type Transaction } from './transaction.ts';

const OUT_NO = /^[0-9A-Za-z_\-*]{6,32}$/;

/** RFC 3339 in +08:00, as the provider wants time_expire. */
function beijing(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${d.toISOString().slice(0, 19)}+08:00`;
}

/** A Native (QR) or JSAPI order. notify_url takes no query string. */
export async function createWechatOrder(
  order: OrderRequest,
  config: WechatConfig,
  signal?: AbortSignal,
): Promise<CreatedOrder> {
  const c = ready(config);
  if (!OUT_NO.test(order.orderId))
    throw new AppError('REQ_VALIDATION', 'The order number does not fit out_trade_no');
  if (!isFen(order.amountFen) || order.amountFen <= 0)
    throw new AppError('REQ_VALIDATION', 'The amount must be a positive whole number of fen');
  if (order.notifyUrl.includes('?'))
    throw new AppError('REQ_VALIDATION', 'notify_url may not carry a query string');
  const base = {
    appid: c.appid,
    mchid: c.mchid,
    description: order.description.slice(0, 127),
    out_trade_no: order.orderId,
    notify_url: order.notifyUrl,
    amount: { total: order.amountFen, currency: 'CNY' },
    ...(order.expiresAt && { time_expire: beijing(order.expiresAt) }),
  };
  if (order.channel === 'native') {
    const r = await call<{ code_url?: string }>(c, 'POST', '/v3/pay/transactions/native', base, signal);
    if (!r.body.code_url) throw new AppError('PAY_PROVIDER_ERROR', 'No code_url in the answer');
    return { orderId: order.orderId, status: 'pending', action: { type: 'qr', codeUrl: r.body.code_url } };
  }
  if (order.channel === 'jsapi') {
    const openid = order.payer?.openId;
    if (!openid) throw new AppError('REQ_VALIDATION', 'A JSAPI order needs the payer openid');
    const r = await call<{ prepay_id?: string }>(
      c,
      'POST',
      '/v3/pay/transactions/jsapi',
      { ...base, payer: { openid } },
      signal,
    );
    if (!r.body.prepay_id) throw new AppError('PAY_PROVIDER_ERROR', 'No prepay_id in the answer');
    const timeStamp = String(Math.floor(Date.now() / 1000));
    const nonceStr = nonce();
    const pkg = `prepay_id=${r.body.prepay_id}`;
    const paySign = rsaSign(
      `${c.appid}\n${timeStamp}\n${nonceStr}\n${pkg}\n`,
      privateKeyOf(c.merchantPrivateKey),
    );
    return {
      orderId: order.orderId,
      providerOrderId: r.body.prepay_id,
      status: 'pending',
      action: {
        type: 'sdk-params',
        params: { appId: c.appid, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign },
      },
    };
  }
  throw new AppError('REQ_VALIDATION', 'payment-wechat takes native and jsapi orders', {
    channel: order.channel,
  });
}

/** The provider's view of an order; an order it never saw is 'failed' with no transaction. */
export async function queryWechatOrder(
  orderId: string,
  config: WechatConfig,
  signal?: AbortSignal,
): Promise<PaymentOutcome> {
  const c = ready(config);
  if (!OUT_NO.test(orderId))
    throw new AppError('REQ_VALIDATION', 'The order number does not fit out_trade_no');
  const r = await call<Transaction>(
    c,
    'GET',
    `/v3/pay/transactions/out-trade-no/${orderId}?mchid=${c.mchid}`,
    undefined,
    signal,
  );
  if (r.status === 404) return { orderId, providerTxnId: '', status: 'failed', amountFen: 0 };
  return outcomeOf(r.body, c);
}

const REFUND_STATES: Record<string, RefundResult['status']> = {
  SUCCESS: 'succeeded',
  PROCESSING: 'pending',
  CLOSED: 'failed',
  ABNORMAL: 'failed',
};

/** A refund: our refund number is out_refund_no, so a retry with it never refunds twice. */
export async function refundWechat(
  req: RefundRequest,
  config: WechatConfig,
  signal?: AbortSignal,
): Promise<RefundResult> {
  const c = ready(config);
  if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(req.refundId))
    throw new AppError('REQ_VALIDATION', 'The refund number does not fit out_refund_no');
  if (!isFen(req.amountFen) || req.amountFen <= 0 || req.amountFen > req.totalFen)
    throw new AppError('REQ_VALIDATION', 'The refund must be positive and at most the payment');
  const r = await call<{ refund_id?: string; status?: string }>(
    c,
    'POST',
    '/v3/refund/domestic/refunds',
    {
      out_trade_no: req.orderId,
      out_refund_no: req.refundId,
      reason: req.reason.slice(0, 80),
      amount: { refund: req.amountFen, total: req.totalFen, currency: 'CNY' },
    },
    signal,
  );
  const status = REFUND_STATES[r.body.status ?? ''];
  if (!status)
    throw new AppError('PAY_PROVIDER_ERROR', 'Unknown refund status', { status: r.body.status ?? null });
  return { refundId: req.refundId, ...(r.body.refund_id && { providerRefundId: r.body.refund_id }), status };
}

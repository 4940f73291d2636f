import { AppError, type PluginRequest, type VerifiedNotification } from '@quadmeter/sdk';
import { ready } from './client.ts';
import type { UnionpayConfig } from './config.ts';
import { parseForm, verifyFields } from './sign.ts';
import { consumeOutcome, fenOf, statusOf } from './transaction.ts';

/** UnionPay reads only the HTTP status: 200 means received. */
const ACK = { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };

/**
 * A back notification (backUrl): the form is verified exactly as received — no field is changed
 * before the signature holds — then checked to be this merId's. A consume (txnType 01) answers
 * the order's outcome (respCode 00 or A6 is paid); a refund (04) answers a `refunded` outcome of
 * the order named in reqReserved (the core credits nothing on it), so the provider stops retrying.
 */
export function parseUnionpayNotification(
  req: PluginRequest,
  config: UnionpayConfig,
  now = new Date(),
): VerifiedNotification {
  const c = ready(config);
  const f = parseForm(req.body);
  verifyFields(f, c, now);
  if (f.merId !== c.merId) throw new AppError('PAY_MERCHANT_MISMATCH', undefined, { merId: f.merId ?? null });
  if (f.txnType === '01') return { outcome: consumeOutcome(f, f.respCode), ack: ACK };
  if (f.txnType === '04') {
    if (!f.reqReserved) throw new AppError('PAY_PROVIDER_ERROR', 'The refund notification names no order');
    return {
      outcome: {
        orderId: f.reqReserved,
        providerTxnId: f.queryId ?? '',
        status: statusOf(f.respCode) === 'paid' ? 'refunded' : 'failed',
        amountFen: fenOf(f.txnAmt),
      },
      ack: ACK,
    };
  }
  throw new AppError('PAY_PROVIDER_ERROR', 'Unknown notification type', { txnType: f.txnType ?? null });
}

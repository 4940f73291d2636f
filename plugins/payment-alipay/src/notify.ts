import { AppError, type PluginRequest, type VerifiedNotification } from '@quadmeter/sdk';
import type { AlipayConfig } from './config.ts';
import { fenOf, ready } from './gateway.ts';
import { parseBeijing, publicKeyOf, verifyParams } from './sign.ts';
import { outcomeOf } from './trade.ts';

/** The reply that stops the provider's retries: the seven characters `success`, nothing else. */
const ACK = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'success' };

/** The form body as decoded parameters; a repeated key or bytes that are not UTF-8 are refused. */
function formOf(body: Uint8Array): Record<string, string> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new AppError('PAY_SIGNATURE_INVALID', 'The notification body is not UTF-8');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (Object.hasOwn(out, k)) throw new AppError('PAY_SIGNATURE_INVALID', 'A parameter is repeated', { k });
    out[k] = v;
  }
  return out;
}

/**
 * An asynchronous notification (`trade_status_sync`, a form POST): the signature is checked first
 * on the parameters exactly as received, then notify_time against our clock
 * (PAY_NOTIFICATION_STALE), then that app_id (and auth_app_id) and seller_id are ours
 * (PAY_MERCHANT_MISMATCH). A refund's notification (it carries out_biz_no and refund_fee) answers
 * a `refunded` outcome of the refunded amount, which the core credits nothing on.
 */
export function parseAlipayNotification(
  req: PluginRequest,
  config: AlipayConfig,
  now = new Date(),
): VerifiedNotification {
  const c = ready(config);
  const p = formOf(req.body);
  if (!verifyParams(p, publicKeyOf(c.alipayPublicKey))) throw new AppError('PAY_SIGNATURE_INVALID');
  const sent = parseBeijing(p.notify_time);
  if (!sent || Math.abs(now.getTime() - sent.getTime()) > c.maxSkewSec * 1000)
    throw new AppError('PAY_NOTIFICATION_STALE', undefined, { notify_time: p.notify_time ?? null });
  if (p.app_id !== c.appId || (p.auth_app_id !== undefined && p.auth_app_id !== c.appId))
    throw new AppError('PAY_MERCHANT_MISMATCH', undefined, { app_id: p.app_id ?? null });
  if (p.seller_id !== c.sellerId)
    throw new AppError('PAY_MERCHANT_MISMATCH', undefined, { seller_id: p.seller_id ?? null });
  if (p.notify_type !== 'trade_status_sync')
    throw new AppError('PAY_PROVIDER_ERROR', 'Unknown notification type', {
      notify_type: p.notify_type ?? null,
    });
  const outcome = outcomeOf(p);
  if (p.out_biz_no && p.refund_fee)
    return {
      outcome: { ...outcome, status: 'refunded', amountFen: fenOf(p.refund_fee, 'refund_fee') },
      ack: ACK,
    };
  return { outcome, ack: ACK };
}

import { AppError, isFen, type PluginRequest, type VerifiedNotification } from '@quadmeter/sdk';
import { decryptResource, type EncryptedResource } from './aead.ts';
import { ready } from './client.ts';
import type { WechatConfig } from './config.ts';
import { keyRing, signedHeaders, verifySigned } from './sign.ts';
import { outcomeOf, type Transaction } from './transaction.ts';

interface RefundResource {
  out_refund_no?: string;
  refund_id?: string;
  refund_status?: string;
  amount?: { total?: number; refund?: number };
}

interface Envelope {
  id?: string;
  event_type?: string;
  resource_type?: string;
  resource?: EncryptedResource;
}

const ACK = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ code: 'SUCCESS', message: '成功' }),
};

/**
 * A payment notification: the signature is checked on the raw bytes first (nothing is parsed
 * before), then the resource is decrypted with the APIv3 key and the transaction checked to be
 * this merchant's. A refund notification (REFUND.*) is verified the same way and answers a
 * `refunded` outcome of the order (the core credits nothing on it; refunds are settled by the
 * provider's answer to the refund call), so the provider stops retrying it.
 */
export function parseWechatNotification(
  req: PluginRequest,
  config: WechatConfig,
  now = new Date(),
): VerifiedNotification {
  const c = ready(config);
  verifySigned(signedHeaders(req.headers), req.body, keyRing(c.platformKeys), c.maxSkewSec, now);
  let env: Envelope;
  try {
    env = JSON.parse(Buffer.from(req.body).toString('utf8')) as Envelope;
  } catch {
    throw new AppError('PAY_SIGNATURE_INVALID', 'The signed body is not JSON');
  }
  const r = env.resource;
  if (!r || typeof r.ciphertext !== 'string' || typeof r.nonce !== 'string')
    throw new AppError('PAY_PROVIDER_ERROR', 'The notification has no encrypted resource');
  const event = String(env.event_type);
  const refund = r.original_type === 'refund' && event.startsWith('REFUND.');
  if (!refund && (r.original_type !== 'transaction' || !event.startsWith('TRANSACTION.')))
    throw new AppError('PAY_PROVIDER_ERROR', 'Unknown notification type', {
      event_type: env.event_type ?? null,
    });
  let t: Transaction & RefundResource;
  try {
    t = JSON.parse(decryptResource(r, c.apiV3Key)) as Transaction & RefundResource;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('PAY_SIGNATURE_INVALID', 'The decrypted resource is not JSON');
  }
  if (!refund) return { outcome: outcomeOf(t, c), ack: ACK };
  // a refund resource names the merchant but no app
  if (t.mchid !== c.mchid) throw new AppError('PAY_MERCHANT_MISMATCH', undefined, { mchid: t.mchid ?? null });
  if (typeof t.out_trade_no !== 'string' || !isFen(t.amount?.refund ?? Number.NaN))
    throw new AppError('PAY_PROVIDER_ERROR', 'The refund notification is incomplete');
  return {
    outcome: {
      orderId: t.out_trade_no,
      providerTxnId: t.refund_id ?? '',
      status: t.refund_status === 'SUCCESS' ? 'refunded' : 'failed',
      amountFen: t.amount?.refund as number,
    },
    ack: ACK,
  };
}

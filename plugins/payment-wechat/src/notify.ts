import { AppError, type PluginRequest, type VerifiedNotification } from '@quadmeter/sdk';
import { decryptResource, type EncryptedResource } from './aead.ts';
import { ready } from './client.ts';
import type { WechatConfig } from './config.ts';
import { keyRing, signedHeaders, verifySigned } from './sign.ts';
import { outcomeOf, type Transaction } from './transaction.ts';

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
 * this merchant's. Refund notifications are not payment outcomes: they are refused as
 * PAY_PROVIDER_ERROR so the provider keeps them until the core reads refunds by query.
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
  if (r.original_type !== 'transaction' || !String(env.event_type).startsWith('TRANSACTION.'))
    throw new AppError('PAY_PROVIDER_ERROR', 'Only transaction notifications are taken', {
      event_type: env.event_type ?? null,
    });
  let t: Transaction;
  try {
    t = JSON.parse(decryptResource(r, c.apiV3Key)) as Transaction;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('PAY_SIGNATURE_INVALID', 'The decrypted resource is not JSON');
  }
  return { outcome: outcomeOf(t, c), ack: ACK };
}

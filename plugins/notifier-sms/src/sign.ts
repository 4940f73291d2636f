import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedHeaders {
  'x-app-key': string;
  'x-timestamp': string;
  'x-nonce': string;
  'x-signature': string;
}

/**
 * The string signed: app key, timestamp (Unix ms), nonce and the SHA-256 of the exact body bytes,
 * one per line. The signature is the lowercase hex HMAC-SHA256 of it under the app secret.
 */
export function stringToSign(appKey: string, timestamp: string, nonce: string, body: string | Uint8Array) {
  const digest = createHash('sha256').update(body).digest('hex');
  return `${appKey}\n${timestamp}\n${nonce}\n${digest}`;
}

export function sign(
  secret: string,
  appKey: string,
  timestamp: string,
  nonce: string,
  body: string | Uint8Array,
) {
  return createHmac('sha256', secret)
    .update(stringToSign(appKey, timestamp, nonce, body))
    .digest('hex');
}

/** Constant-time comparison of a received signature against the expected one. */
export function signatureMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(/^[0-9a-f]+$/i.test(received) ? received : '', 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

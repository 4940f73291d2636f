import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';

/**
 * The string Alipay signs: every parameter but `sign` (and `sign_type` unless `withSignType`),
 * values as decoded, sorted by key in code-unit order, joined `k=v&…`; `dropEmpty` leaves out
 * empty values.
 */
export function signContent(
  p: Readonly<Record<string, string>>,
  withSignType = false,
  dropEmpty = false,
): string {
  return Object.keys(p)
    .filter((k) => k !== 'sign' && (withSignType || k !== 'sign_type'))
    .filter((k) => !dropEmpty || p[k] !== '')
    .sort()
    .map((k) => `${k}=${p[k]}`)
    .join('&');
}

export function rsa2Sign(message: string, key: KeyObject | string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(key, 'base64');
}

export function rsa2Verify(message: string, key: KeyObject, signature: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/**
 * Verifies signed parameters with the Alipay public key: RSA2 only; the content is tried with and
 * without `sign_type`, then with empty values dropped, as the provider has signed each way.
 */
export function verifyParams(p: Readonly<Record<string, string>>, key: KeyObject): boolean {
  if (!p.sign || (p.sign_type !== undefined && p.sign_type !== 'RSA2')) return false;
  for (const [withType, dropEmpty] of [
    [true, false],
    [false, false],
    [true, true],
    [false, true],
  ] as const)
    if (rsa2Verify(signContent(p, withType, dropEmpty), key, p.sign)) return true;
  return false;
}

export function privateKeyOf(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new AppError('PAY_NOT_CONFIGURED', 'The app private key cannot be read', undefined, { cause: err });
  }
}

export function publicKeyOf(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (err) {
    throw new AppError('PAY_NOT_CONFIGURED', 'The Alipay public key cannot be read', undefined, {
      cause: err,
    });
  }
}

/** An instant as Alipay writes it: `yyyy-MM-dd HH:mm:ss` in Beijing time. */
export function beijingText(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** `yyyy-MM-dd HH:mm:ss` (Beijing) → the instant, or undefined when it is not one. */
export function parseBeijing(text: string | undefined): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text ?? '');
  const d = m ? new Date(`${m[1]}T${m[2]}+08:00`) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

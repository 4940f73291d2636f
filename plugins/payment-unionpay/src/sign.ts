import {
  createHash,
  createPrivateKey,
  createSign,
  createVerify,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';
import { AppError } from '@quadmeter/sdk';

export type Fields = Record<string, string>;

/** The name a production signing certificate's CN must carry (one of its `@`-separated parts). */
export const UNIONPAY_CN = '中国银联股份有限公司';

/** Every field but `signature`, sorted by key (ASCII), as `k=v&k=v`: the signed string. */
export function canonical(fields: Fields): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

/** 5.1.0, signMethod 01: RSA-SHA256 over the lowercase hex SHA-256 of the signed string, base64. */
export function signFields(fields: Fields, key: KeyObject | string): string {
  const digest = createHash('sha256').update(canonical(fields), 'utf8').digest('hex');
  return createSign('RSA-SHA256').update(digest, 'utf8').sign(key, 'base64');
}

const keys = new Map<string, KeyObject>();
export function privateKeyOf(pem: string): KeyObject {
  let k = keys.get(pem);
  if (!k) {
    k = createPrivateKey(pem);
    keys.set(pem, k);
  }
  return k;
}

function refuse(reason: string): never {
  throw new AppError('PAY_SIGNATURE_INVALID', undefined, { reason });
}

export interface Trust {
  rootCert: string;
  middleCert: string;
  validateCnName: boolean;
}

/**
 * Verifies a 5.1.0 answer or notification exactly as received (nothing altered before): the
 * signPubKeyCert it carries must be issued by the configured middle certificate, which the
 * configured root must have signed, be valid now (else PAY_NOTIFICATION_STALE) and (in production) name UnionPay;
 * then the signature is checked with its key. Any other failure is PAY_SIGNATURE_INVALID.
 */
export function verifyFields(fields: Fields, trust: Trust, now = new Date()): void {
  if (fields.version !== '5.1.0' || fields.signMethod !== '01') refuse('not a 5.1.0 RSA signature');
  if (!fields.signature || !fields.signPubKeyCert) refuse('unsigned');
  let leaf: X509Certificate;
  let middle: X509Certificate;
  let root: X509Certificate;
  try {
    leaf = new X509Certificate(fields.signPubKeyCert);
    middle = new X509Certificate(trust.middleCert);
    root = new X509Certificate(trust.rootCert);
  } catch {
    refuse('the signing certificate is not a certificate');
  }
  if (!leaf.checkIssued(middle) || !leaf.verify(middle.publicKey) || !middle.verify(root.publicKey))
    refuse('the signing certificate does not chain to the UnionPay root');
  if (now < new Date(leaf.validFrom) || now > new Date(leaf.validTo))
    throw new AppError('PAY_NOTIFICATION_STALE', 'The signing certificate is outside its validity', {
      validTo: new Date(leaf.validTo).toISOString(),
    });
  if (trust.validateCnName) {
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(leaf.subject)?.[1] ?? '';
    if (!cn.split('@').includes(UNIONPAY_CN)) refuse('the signing certificate is not UnionPay’s');
  }
  const digest = createHash('sha256').update(canonical(fields), 'utf8').digest('hex');
  let ok = false;
  try {
    ok = createVerify('RSA-SHA256').update(digest, 'utf8').verify(leaf.publicKey, fields.signature, 'base64');
  } catch {
    ok = false;
  }
  if (!ok) refuse('bad signature');
}

/** Form fields of an x-www-form-urlencoded body, each key once (a repeated key is refused). */
export function parseForm(raw: Uint8Array | string): Fields {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  const out: Fields = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (Object.hasOwn(out, k)) refuse(`field ${k} appears twice`);
    out[k] = v;
  }
  return out;
}

export const encodeForm = (fields: Fields) => new URLSearchParams(fields).toString();

import {
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';
import { AppError } from '@quadmeter/sdk';

/** The message WeChat Pay v3 signs in callbacks and responses: `timestamp\nnonce\nbody\n`. */
export function callbackMessage(timestamp: string, nonce: string, body: Uint8Array | string): Buffer {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  return Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'), raw, Buffer.from('\n')]);
}

/** The message a merchant signs for a request: `METHOD\npath?query\ntimestamp\nnonce\nbody\n`. */
export function requestMessage(
  method: string,
  pathAndQuery: string,
  timestamp: string,
  nonce: string,
  body: string,
) {
  return `${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

export function rsaSign(message: string | Buffer, privateKeyPem: string | KeyObject): string {
  return createSign('RSA-SHA256').update(message).sign(privateKeyPem, 'base64');
}

export function rsaVerify(message: string | Buffer, key: KeyObject, signature: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

export function privateKeyOf(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new AppError('PAY_NOT_CONFIGURED', 'The merchant private key cannot be read', undefined, {
      cause: err,
    });
  }
}

/**
 * One verification key: a platform certificate (expires; its serial is the certificate's) or a
 * WeChat Pay public key (`PUB_KEY_ID_…`, no expiry).
 */
export interface VerifyKey {
  key: KeyObject;
  /** certificate mode only: not valid after this instant */
  notAfter?: Date;
  notBefore?: Date;
}

/** serial → PEM (a CERTIFICATE or a PUBLIC KEY) into a key ring; an unreadable entry is a config error. */
export function keyRing(pems: Record<string, string>): Map<string, VerifyKey> {
  const ring = new Map<string, VerifyKey>();
  for (const [serial, pem] of Object.entries(pems)) {
    try {
      if (pem.includes('BEGIN CERTIFICATE')) {
        const cert = new X509Certificate(pem);
        ring.set(serial, {
          key: cert.publicKey,
          notAfter: new Date(cert.validTo),
          notBefore: new Date(cert.validFrom),
        });
      } else {
        ring.set(serial, { key: createPublicKey(pem) });
      }
    } catch (err) {
      throw new AppError(
        'PAY_NOT_CONFIGURED',
        `The platform key for serial ${serial} cannot be read`,
        { serial },
        {
          cause: err,
        },
      );
    }
  }
  return ring;
}

export interface SignedHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
  serial?: string;
}

/** The Wechatpay-* headers of a request or response (names are case-insensitive). */
export function signedHeaders(headers: Readonly<Record<string, string>>): SignedHeaders {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    timestamp: lower['wechatpay-timestamp'],
    nonce: lower['wechatpay-nonce'],
    signature: lower['wechatpay-signature'],
    serial: lower['wechatpay-serial'],
  };
}

const PROBE = 'WECHATPAY/SIGNTEST/';

/**
 * Verifies a WeChat Pay signature over the raw body: probes (WECHATPAY/SIGNTEST/…) and unknown
 * serials are refused, the timestamp must be within `maxSkewSec` of now, an expired platform
 * certificate no longer verifies. Throws PAY_SIGNATURE_INVALID or PAY_NOTIFICATION_STALE.
 */
export function verifySigned(
  h: SignedHeaders,
  body: Uint8Array | string,
  ring: Map<string, VerifyKey>,
  maxSkewSec: number,
  now = new Date(),
): void {
  if (!h.timestamp || !h.nonce || !h.signature || !h.serial)
    throw new AppError('PAY_SIGNATURE_INVALID', 'The Wechatpay signature headers are missing');
  if (h.signature.startsWith(PROBE))
    throw new AppError('PAY_SIGNATURE_INVALID', 'A signature-test probe is refused', { probe: true });
  if (!/^\d{1,12}$/.test(h.timestamp))
    throw new AppError('PAY_SIGNATURE_INVALID', 'The Wechatpay-Timestamp is not a number');
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(h.timestamp)) > maxSkewSec)
    throw new AppError('PAY_NOTIFICATION_STALE', undefined, { timestamp: h.timestamp });
  const entry = ring.get(h.serial);
  if (!entry)
    throw new AppError('PAY_SIGNATURE_INVALID', 'No platform key has this serial', { serial: h.serial });
  if ((entry.notAfter && now > entry.notAfter) || (entry.notBefore && now < entry.notBefore))
    throw new AppError('PAY_SIGNATURE_INVALID', 'The platform certificate is not valid now', {
      serial: h.serial,
    });
  if (!rsaVerify(callbackMessage(h.timestamp, h.nonce, body), entry.key, h.signature))
    throw new AppError('PAY_SIGNATURE_INVALID');
}

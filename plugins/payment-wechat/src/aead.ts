import { createCipheriv, createDecipheriv } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
  original_type?: string;
}

/** AEAD_AES_256_GCM with the APIv3 key: base64(cipher ‖ 16-byte tag). */
export function encryptResource(
  plain: string,
  apiV3Key: string,
  nonce: string,
  associatedData: string,
): string {
  const c = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  c.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return Buffer.concat([body, c.getAuthTag()]).toString('base64');
}

/** Decrypts a notification resource; a wrong key, nonce, associated data or ciphertext is PAY_SIGNATURE_INVALID. */
export function decryptResource(r: EncryptedResource, apiV3Key: string): string {
  if (r.algorithm !== 'AEAD_AES_256_GCM')
    throw new AppError('PAY_SIGNATURE_INVALID', 'Unknown resource algorithm', { algorithm: r.algorithm });
  const buf = Buffer.from(r.ciphertext, 'base64');
  if (buf.length <= 16 || Buffer.byteLength(r.nonce, 'utf8') !== 12)
    throw new AppError('PAY_SIGNATURE_INVALID', 'The encrypted resource is malformed');
  try {
    const d = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(r.nonce, 'utf8'));
    d.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'));
    d.setAuthTag(buf.subarray(buf.length - 16));
    return Buffer.concat([d.update(buf.subarray(0, buf.length - 16)), d.final()]).toString('utf8');
  } catch (err) {
    throw new AppError(
      'PAY_SIGNATURE_INVALID',
      'The resource does not decrypt with the APIv3 key',
      undefined,
      {
        cause: err,
      },
    );
  }
}

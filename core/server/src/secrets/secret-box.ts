import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';

/** Marks an encrypted value: `enc:v1:` + base64(iv ‖ tag ‖ ciphertext), AES-256-GCM over JSON. */
export const SEALED_PREFIX = 'enc:v1:';

export interface SecretBox {
  /** encrypts any JSON value into a versioned string */
  seal(value: unknown): string;
  /** decrypts a sealed string; anything else (a value stored before encryption) is returned as is */
  open(value: unknown): unknown;
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new AppError('CONFIG_INVALID', 'The secret key must be 32 bytes');
  return {
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
    },
    open(value) {
      if (!isSealed(value)) return value;
      const raw = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        return JSON.parse(text);
      } catch (err) {
        throw new AppError(
          'CONFIG_INVALID',
          'A stored secret cannot be decrypted: QUADMETER_SECRET_KEY (or <data dir>/secret.key) changed',
          undefined,
          { cause: err },
        );
      }
    },
  };
}

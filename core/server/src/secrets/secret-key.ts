import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@quadmeter/sdk';
import { type Config, decodeSecretKey } from '../config.ts';

export const SECRET_KEY_FILE = 'secret.key';

async function readKeyFile(path: string): Promise<Buffer> {
  const key = decodeSecretKey(await readFile(path, 'utf8'));
  if (!key) throw new AppError('CONFIG_INVALID', `${path} does not hold a 32-byte key (hex or base64)`);
  return key;
}

/**
 * The key that encrypts plugin secrets: QUADMETER_SECRET_KEY when set, otherwise
 * `<data dir>/secret.key`, generated (mode 600) on first start. Back the file up with the database.
 */
export async function loadSecretKey(config: Pick<Config, 'QUADMETER_SECRET_KEY' | 'QUADMETER_DATA_DIR'>) {
  if (config.QUADMETER_SECRET_KEY) {
    const key = decodeSecretKey(config.QUADMETER_SECRET_KEY);
    if (!key) throw new AppError('CONFIG_INVALID', 'QUADMETER_SECRET_KEY must be 32 bytes (hex or base64)');
    return key;
  }
  const path = join(config.QUADMETER_DATA_DIR, SECRET_KEY_FILE);
  await mkdir(config.QUADMETER_DATA_DIR, { recursive: true });
  try {
    await writeFile(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
  return await readKeyFile(path);
}

import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@quadmeter/sdk';
import type { Database } from '../../db/client.ts';
import { type BackupResult, backupTenant } from './backup.ts';

export interface DirectoryBackup extends BackupResult {
  /** older backups of the tenant removed by the retention */
  removed: string[];
}

const stampOf = (d: Date) => d.toISOString().replace(/\D/g, '').slice(0, 14);

/**
 * A scheduled backup into a directory: `<code>-<UTC yyyymmddhhmmss>.qmb`, then keeps the newest
 * `keep` backups of that tenant and removes the rest (only complete files of this naming; a
 * `.partial` of a backup that is still running or died is never counted or removed).
 */
export async function backupToDirectory(
  database: Database,
  code: string,
  dir: string,
  keep: number,
  now = new Date(),
): Promise<DirectoryBackup> {
  if (!Number.isInteger(keep) || keep < 1 || keep > 10_000)
    throw new AppError('CLI_USAGE', '--keep takes a whole number of backups from 1 to 10000');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const result = await backupTenant(database, code, join(dir, `${code}-${stampOf(now)}.qmb`));
  const pattern = new RegExp(`^${code.replace(/[^a-z0-9]/g, (c) => `\\${c}`)}-\\d{14}\\.qmb$`);
  const mine = (await readdir(dir)).filter((f) => pattern.test(f)).sort();
  const removed = mine.slice(0, Math.max(0, mine.length - keep));
  for (const f of removed) await rm(join(dir, f), { force: true });
  return { ...result, removed };
}

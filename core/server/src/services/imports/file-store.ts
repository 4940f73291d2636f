import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileKind } from './read-file.ts';

/** Uploaded files live under `<data dir>/imports/<tenant>/<id>.<kind>` until the import is applied. */
export function importFilePath(dataDir: string, tenantId: string, id: string, kind: FileKind): string {
  return join(dataDir, 'imports', tenantId, `${id}.${kind}`);
}

export async function storeImportFile(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${path}.part`;
  await writeFile(tmp, bytes, { mode: 0o600 });
  await rename(tmp, path);
}

export async function removeImportFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const adminDir = fileURLToPath(new URL('../..', import.meta.url));
const fieldDir = join(adminDir, 'field');
const distIndex = join(fieldDir, 'dist', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds admin/field/dist (the field app) when it is missing or older than its sources. */
export function ensureFieldBuilt(): void {
  const sources = Math.max(
    newestMtime(join(fieldDir, 'src')),
    newestMtime(join(fieldDir, 'public')),
    statSync(join(fieldDir, 'index.html')).mtimeMs,
    statSync(join(fieldDir, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(distIndex) && statSync(distIndex).mtimeMs >= sources) return;
  const vite = fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url));
  execFileSync(process.execPath, [vite, 'build', '--config', 'field/vite.config.ts', '--logLevel', 'warn'], {
    cwd: adminDir,
    stdio: 'inherit',
  });
}

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const adminDir = fileURLToPath(new URL('../..', import.meta.url));
const distIndex = join(adminDir, 'dist', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds admin/dist when it is missing or older than the sources, so the test drives current code. */
export function ensureAdminBuilt(): void {
  const sources = Math.max(
    newestMtime(join(adminDir, 'src')),
    statSync(join(adminDir, 'index.html')).mtimeMs,
    statSync(join(adminDir, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(distIndex) && statSync(distIndex).mtimeMs >= sources) return;
  const vite = fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url));
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: adminDir, stdio: 'inherit' });
}

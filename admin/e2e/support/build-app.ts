import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const adminDir = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds one of the admin workspace's apps with Vite when its index.html is missing or older than
 * any of its sources (paths relative to admin/), so a browser test drives current code. NODE_ENV is
 * forced to production: vitest runs with NODE_ENV=test, which would make Vite ship Vue's
 * development build.
 */
export function ensureBuilt(app: { config?: string; sources: string[]; index: string }): void {
  const index = join(adminDir, app.index);
  const sources = Math.max(...app.sources.map((s) => newestMtime(join(adminDir, s))));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const vite = fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url));
  const config = app.config ? ['--config', app.config] : [];
  execFileSync(process.execPath, [vite, 'build', ...config, '--logLevel', 'warn'], {
    cwd: adminDir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

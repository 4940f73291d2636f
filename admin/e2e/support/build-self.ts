import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const adminDir = fileURLToPath(new URL('../..', import.meta.url));
export const selfDist = join(adminDir, 'dist-self');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds admin/dist-self (the self-service H5) when missing or older than admin/self. */
export function ensureSelfBuilt(): void {
  const index = join(selfDist, 'index.html');
  const sources = Math.max(newestMtime(join(adminDir, 'self')), statSync(join(adminDir, 'vite.self.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const vite = fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url));
  execFileSync(process.execPath, [vite, 'build', '--config', 'vite.self.config.ts', '--logLevel', 'warn'], {
    cwd: adminDir,
    stdio: 'inherit',
    // vitest runs with NODE_ENV=test, which would make Vite ship Vue's development build
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

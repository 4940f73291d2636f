import { join } from 'node:path';
import { adminDir, ensureBuilt } from './build-app.ts';

export const selfDist = join(adminDir, 'dist-self');

/** Builds admin/dist-self (the self-service H5) when missing or older than admin/self. */
export function ensureSelfBuilt(): void {
  ensureBuilt({ config: 'vite.self.config.ts', sources: ['self', 'vite.self.config.ts'], index: 'dist-self/index.html' });
}

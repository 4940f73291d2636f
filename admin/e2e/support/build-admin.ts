import { ensureBuilt } from './build-app.ts';

/** Builds admin/dist when it is missing or older than the sources, so the test drives current code. */
export function ensureAdminBuilt(): void {
  ensureBuilt({ sources: ['src', 'index.html', 'vite.config.ts'], index: 'dist/index.html' });
}

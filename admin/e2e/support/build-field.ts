import { ensureBuilt } from './build-app.ts';

/** Builds admin/field/dist (the field app) when it is missing or older than its sources. */
export function ensureFieldBuilt(): void {
  ensureBuilt({
    config: 'field/vite.config.ts',
    sources: ['field/src', 'field/public', 'field/index.html', 'field/vite.config.ts'],
    index: 'field/dist/index.html',
  });
}

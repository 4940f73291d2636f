import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

/** The field staff's app (抄表APP, admin/field), built on its own and served under /field/. */
export const fieldDist = fileURLToPath(new URL('../../../../admin/field/dist', import.meta.url));

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
};

export const isFieldPath = (path: string) => path === '/field' || path.startsWith('/field/');

/**
 * Serves the built field app; unknown paths fall back to its index.html (client-side router). The
 * service worker and the shell are never cached by the browser's HTTP cache (the worker keeps its
 * own); hashed assets are immutable.
 */
export async function serveField(c: Context<AppEnv>) {
  if (!existsSync(join(fieldDist, 'index.html')))
    return c.text('The field app is not built yet: run `npm run build:admin`.', 503);
  const rel = normalize(decodeURIComponent(c.req.path.slice('/field'.length) || '/')).replace(
    /^(\.\.[/\\])+/,
    '',
  );
  const file = join(fieldDist, rel);
  if (file.startsWith(fieldDist) && extname(file) && existsSync(file)) {
    const headers: Record<string, string> = {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (rel === '/sw.js') headers['service-worker-allowed'] = '/field/';
    return c.body(await readFile(file), 200, headers);
  }
  return c.html(await readFile(join(fieldDist, 'index.html'), 'utf8'), 200, { 'cache-control': 'no-cache' });
}

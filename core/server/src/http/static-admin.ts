import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

export const adminDist = fileURLToPath(new URL('../../../../admin/dist', import.meta.url));
/** The customer self-service app (admin/self, built by vite.self.config.ts), served at /my/. */
export const selfDist = fileURLToPath(new URL('../../../../admin/dist-self', import.meta.url));
/** The field staff's app (抄表APP, admin/field), built on its own and served under /field/. */
export const fieldDist = fileURLToPath(new URL('../../../../admin/field/dist', import.meta.url));

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/** Serves the built admin; unknown paths fall back to index.html for the client-side router. */
export async function serveAdmin(c: Context<AppEnv>) {
  return await serveBuilt(c, adminDist, '');
}

/** Serves the self-service app under /my/ (none of the admin's code: its own build). */
export async function serveSelf(c: Context<AppEnv>) {
  return await serveBuilt(c, selfDist, '/my');
}

export const isFieldPath = (path: string) => path === '/field' || path.startsWith('/field/');

/**
 * Serves the field app under /field/. Its service worker may control the whole of /field/ and, like
 * the shell, is never kept by the browser's HTTP cache (the worker keeps its own).
 */
export async function serveField(c: Context<AppEnv>) {
  return await serveBuilt(
    c,
    fieldDist,
    '/field',
    (rel): Record<string, string> => (rel === '/sw.js' ? { 'service-worker-allowed': '/field/' } : {}),
  );
}

async function serveBuilt(
  c: Context<AppEnv>,
  dist: string,
  prefix: string,
  extra: (rel: string) => Record<string, string> = () => ({}),
) {
  if (!existsSync(join(dist, 'index.html'))) {
    return c.text(
      'The admin is not built yet: run `npm run build:admin` (npm start does this for you).',
      503,
    );
  }
  const rel = normalize(decodeURIComponent(c.req.path).slice(prefix.length) || '/').replace(
    /^(\.\.[/\\])+/,
    '',
  );
  const file = join(dist, rel);
  if (file.startsWith(dist) && extname(file) && existsSync(file)) {
    const cache = rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return c.body(await readFile(file), 200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': cache,
      ...extra(rel),
    });
  }
  return c.html(await readFile(join(dist, 'index.html'), 'utf8'), 200, { 'cache-control': 'no-cache' });
}

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';

const require = createRequire(import.meta.url);
const assetsDir = dirname(require.resolve('swagger-ui-dist/package.json'));
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

// No inline script: the start-up code is served as a file so the CSP can forbid inline scripts.
const init = `const root = document.getElementById('ui');
window.ui = SwaggerUIBundle({ url: root.dataset.spec, domNode: root, validatorUrl: null });
`;

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Quadmeter API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="ui" data-spec="/api/openapi.json"></div><script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

/** The OpenAPI document browsable at /api/docs, with Swagger UI served from the installed package. */
export function docsRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.html(page));
  r.get('/init.js', (c) =>
    c.body(init, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  r.get('/:file', async (c) => {
    const type = assets[c.req.param('file')];
    if (!type) return c.notFound();
    const body = await readFile(join(assetsDir, c.req.param('file')));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  return r;
}

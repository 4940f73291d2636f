import { readFileSync } from 'node:fs';
import type { PluginContext, PluginRequest, PluginResponse, RouteHandler } from '@quadmeter/sdk';
import { makeSetupContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import plugin from './index.ts';

export const ONENET_TOKEN = 'onenet-fixture-token';
export const TOKEN = 'push-token-0123456789';

/** Settings of the test tenant: every platform on. */
export const settings = { ctwingToken: TOKEN, onenetToken: ONENET_TOKEN, iotdaToken: TOKEN };

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

function handlers(): Map<string, RouteHandler> {
  const { ctx, declared } = makeSetupContext(plugin.id, {});
  if (plugin.mode !== 'push') throw new Error('push transport expected');
  plugin.routes?.({ route: (m, p, h, o) => ctx.hook(m, p, h, o) });
  return new Map(declared.routes.map((r) => [`${r.method} ${r.path}`, r.handler as RouteHandler]));
}

/** Calls the hook mounted at `method /platform/{tenantId}` as the platform would. */
export async function call(
  ctx: PluginContext,
  o: {
    method?: 'GET' | 'POST';
    platform: string;
    tenantId?: string;
    query?: Record<string, string>;
    body?: string | Uint8Array;
  },
): Promise<PluginResponse & { json: Record<string, unknown> }> {
  const method = o.method ?? 'POST';
  const handler = handlers().get(`${method} /${o.platform}/{tenantId}`);
  if (!handler) throw new Error(`no hook ${method} /${o.platform}`);
  const req: PluginRequest = {
    method,
    path: `/${o.platform}/{tenantId}`,
    params: { tenantId: o.tenantId ?? TEST_TENANT_ID },
    query: o.query ?? {},
    headers: { 'content-type': 'application/json' },
    body: typeof o.body === 'string' ? new TextEncoder().encode(o.body) : (o.body ?? new Uint8Array()),
  };
  const res = await handler(req, ctx);
  const text =
    typeof res.body === 'string' ? res.body : new TextDecoder().decode(res.body ?? new Uint8Array());
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { ...res, json };
}

/**
 * The plugin's hooks served over HTTP on 127.0.0.1 (as the server mounts them under
 * `/hooks/transport-nbiot`), for a simulated platform to push to. Resolves with the base URL.
 */
export async function serveHooks(ctx: PluginContext): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://hooks.local');
    const [, platform = '', tenantId = ''] = u.pathname.split('/');
    const r = await call(ctx, {
      method: req.method === 'GET' ? 'GET' : 'POST',
      platform,
      tenantId,
      query: Object.fromEntries(u.searchParams),
      body: new Uint8Array(Buffer.concat(chunks)),
    }).catch(() => ({ status: 500, json: { code: 'HOOK_THREW' } }));
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.json));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

import type { PluginRequest } from '@quadmeter/sdk';
import type { Context } from 'hono';
import type { Platform } from '../platform.ts';
import type { PluginMount } from '../plugin-host.ts';
import type { AppEnv } from './env.ts';
import { router } from './route-kit.ts';

async function toPluginRequest(
  c: Context<AppEnv>,
  mount: PluginMount,
  tenantId?: string,
): Promise<PluginRequest> {
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((v, k) => {
    headers[k] = v;
  });
  return {
    method: mount.method,
    path: mount.path,
    params: c.req.param() as Record<string, string>,
    query: c.req.query(),
    headers,
    body: new Uint8Array(await c.req.arrayBuffer()),
    ...(tenantId && { tenantId }),
  };
}

/**
 * Mounts what plugins declared: authenticated routes under /api/v1/plugins/<id>/… (the caller's
 * tenant is handed on) and public callbacks under /hooks/<id>/… (the plugin verifies the caller).
 */
export function pluginMountRoutes(p: Platform) {
  const api = router();
  const hooks = router();
  for (const m of p.pluginMounts) {
    const honoPath = m.path.replace(/\{(\w+)\}/g, ':$1');
    if (m.scope === 'api') {
      const path = `/${m.pluginId}${honoPath}`;
      // authentication comes from the /api/v1/plugins/* middleware in app.ts
      api.on(m.method, path, async (c) => {
        const res = await m.handler(await toPluginRequest(c, m, c.get('actor').tenantId ?? undefined));
        return c.body((res.body ?? null) as never, res.status as 200, res.headers);
      });
    } else {
      hooks.on(m.method, `/${m.pluginId}${honoPath}`, async (c) => {
        const res = await m.handler(await toPluginRequest(c, m));
        return c.body((res.body ?? null) as never, res.status as 200, res.headers);
      });
    }
  }
  return { api, hooks };
}

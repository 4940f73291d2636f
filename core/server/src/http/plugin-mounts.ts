import { AppError, type PluginRequest } from '@quadmeter/sdk';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Platform } from '../platform.ts';
import type { PluginMount } from '../plugin-host.ts';
import { tenantPlugin } from '../services/plugins/tenant-plugins.ts';
import type { AppEnv } from './env.ts';
import { inTenant, router } from './route-kit.ts';

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

/** The running plugin's context, or PLUGIN_UNAVAILABLE (503) when it failed, never started or stopped. */
function runningContext(p: Platform, pluginId: string) {
  const ctx = p.registry.context(pluginId);
  if (!ctx) {
    const status = p.registry.status(pluginId);
    throw new AppError('PLUGIN_UNAVAILABLE', `Plugin '${pluginId}' is ${status}`, { pluginId, status });
  }
  return ctx;
}

function hookBodyLimit(kb: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: kb * 1024,
    onError: () => {
      throw new AppError('REQ_BODY_TOO_LARGE', `The request body exceeds ${kb} KiB`);
    },
  });
}

async function respond(
  c: Context<AppEnv>,
  m: PluginMount,
  p: Platform,
  request: () => Promise<PluginRequest>,
) {
  const ctx = runningContext(p, m.pluginId);
  const res = await m.handler(await request(), ctx);
  return c.body((res.body ?? null) as never, res.status as 200, res.headers);
}

/**
 * Mounts what plugins declared: authenticated routes under /api/v1/plugins/<id>/… (the caller
 * needs the route's permission and the plugin enabled for their tenant, which is handed on) and
 * public callbacks under /hooks/<id>/… (body limit first, raw bytes; the plugin verifies the
 * caller). Either answers 503 PLUGIN_UNAVAILABLE while the plugin is not running.
 */
export function pluginMountRoutes(p: Platform) {
  const api = router();
  const hooks = router();
  for (const m of p.pluginMounts) {
    const path = `/${m.pluginId}${m.path.replace(/\{(\w+)\}/g, ':$1')}`;
    if (m.scope === 'api') {
      // authentication comes from the /api/v1/plugins/* middleware in app.ts
      api.on(m.method, path, async (c) => {
        // permission and tenant first, then running, then enabled for this tenant
        const { enabled, tenantId } = await inTenant(
          p,
          c,
          m.permission ?? 'plugins.manage',
          async (tx, { tenantId }) => {
            runningContext(p, m.pluginId);
            return { enabled: (await tenantPlugin(tx, m.pluginId))?.enabled === true, tenantId };
          },
        );
        if (!enabled)
          throw new AppError('PLUGIN_DISABLED', `Plugin '${m.pluginId}' is not enabled for this tenant`, {
            pluginId: m.pluginId,
          });
        return await respond(c, m, p, () => toPluginRequest(c, m, tenantId));
      });
    } else {
      const available: MiddlewareHandler<AppEnv> = async (_c, next) => {
        runningContext(p, m.pluginId);
        await next();
      };
      const limit = hookBodyLimit(m.bodyLimitKb ?? p.config.QUADMETER_BODY_LIMIT_KB);
      hooks.on(m.method, path, available, limit, async (c) => respond(c, m, p, () => toPluginRequest(c, m)));
    }
  }
  return { api, hooks };
}

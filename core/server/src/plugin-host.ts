import type { AnyPlugin, CoreApi, HttpMethod, PluginSetupApi, RouteHandler } from '@quadmeter/sdk';
import { AppError } from '@quadmeter/sdk';
import { eq } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import { pluginSettings } from './db/schema/index.ts';
import { withTenant } from './db/tenant.ts';
import { installedPlugins } from './installed-plugins.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { Logger } from './logger.ts';
import { createRegistry, type Registry } from './registry/index.ts';

/** A route or public hook a plugin declared in setup, mounted by the HTTP app. */
export interface PluginMount {
  pluginId: string;
  scope: 'api' | 'hooks';
  method: HttpMethod;
  path: string;
  handler: RouteHandler;
}

export interface PluginHost {
  registry: Registry;
  mounts: PluginMount[];
  stop(): Promise<unknown>;
}

/** Plugin queues are namespaced by plugin id so two plugins never share one. */
export const pluginQueue = (pluginId: string, name: string) => `${pluginId}.${name}`;

/**
 * Builds the registry from the installed plugins and runs their lifecycle with the server's
 * implementations of the SDK's setup API (routes, hooks, queues, schedules) and core API.
 */
export async function startPlugins(deps: {
  logger: Logger;
  db: Db;
  jobs: Jobs;
  plugins?: readonly AnyPlugin[];
}): Promise<PluginHost> {
  const registry = createRegistry({ plugins: deps.plugins ?? installedPlugins, logger: deps.logger });
  const mounts: PluginMount[] = [];
  const pending: Promise<unknown>[] = [];
  const setupApi = (pluginId: string): PluginSetupApi => ({
    route: (method, path, handler) => mounts.push({ pluginId, scope: 'api', method, path, handler }),
    hook: (method, path, handler) => mounts.push({ pluginId, scope: 'hooks', method, path, handler }),
    queue: (name, handler) => {
      const queue = pluginQueue(pluginId, name);
      pending.push(
        deps.jobs.work(queue, (job) =>
          handler({ id: job.id, name: queue, tenantId: job.tenantId, data: job.data }),
        ),
      );
    },
    schedule: (name, cron, data) => {
      const queue = pluginQueue(pluginId, name);
      pending.push(deps.jobs.ensureQueue(queue).then(() => deps.jobs.boss.schedule(queue, cron, data ?? {})));
    },
  });
  const core = (pluginId: string): CoreApi => ({
    async ingestReadings() {
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'Reading ingest arrives with the metering service; no plugin of this build calls it',
      );
    },
    async tenantSettings(tenantId: string) {
      const [row] = await withTenant(deps.db, tenantId, (tx) =>
        tx.select().from(pluginSettings).where(eq(pluginSettings.pluginId, pluginId)),
      );
      return registry.validateTenantSettings(pluginId, row?.settings ?? {});
    },
  });
  await registry.setup(setupApi);
  await Promise.all(pending);
  await registry.start((base) => ({ ...base, core: core(base.pluginId) }));
  return { registry, mounts, stop: () => registry.stop() };
}

import type { CoreApi, PluginContext, PluginSetupApi } from '@quadmeter/sdk';
import { AppError } from '@quadmeter/sdk';
import { eq } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import { pluginSettings } from './db/schema/index.ts';
import { withTenant } from './db/tenant.ts';
import { installedPlugins } from './installed-plugins.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { Logger } from './logger.ts';
import { createRegistry, type Registry } from './registry/index.ts';

/**
 * Builds the registry from the installed plugins and runs their lifecycle with the server's
 * implementations of the SDK's setup API and core API.
 */
export async function startPlugins(deps: { logger: Logger; db: Db; jobs: Jobs }): Promise<Registry> {
  const registry = createRegistry({ plugins: installedPlugins, logger: deps.logger });
  const core = (pluginId: string): CoreApi => ({
    async ingestReadings() {
      throw new AppError('SERVICE_UNAVAILABLE', 'Reading ingest is not part of this build yet');
    },
    async tenantSettings(tenantId: string) {
      const [row] = await withTenant(deps.db, tenantId, (tx) =>
        tx.select().from(pluginSettings).where(eq(pluginSettings.pluginId, pluginId)),
      );
      return registry.validateTenantSettings(pluginId, row?.settings ?? {});
    },
  });
  const setupApi = (pluginId: string): PluginSetupApi => ({
    route: () => {},
    hook: () => {},
    queue: (name, handler) => {
      void deps.jobs.work(`${pluginId}.${name}`, (job) =>
        handler({ id: job.id, name: `${pluginId}.${name}`, tenantId: job.tenantId, data: job.data }),
      );
    },
    schedule: () => {},
  });
  await registry.setup(setupApi);
  await registry.start((pluginId: string, signal: AbortSignal): PluginContext => ({
    pluginId,
    logger: deps.logger.child({ plugin: pluginId }),
    config: registry.parsedConfig?.(pluginId),
    signal,
    core: core(pluginId),
  }));
  return registry;
}

import type {
  AnyPlugin,
  CoreApi,
  HttpMethod,
  PluginSetupApi,
  QueueHandler,
  RouteHandler,
} from '@quadmeter/sdk';
import { AppError } from '@quadmeter/sdk';
import type { Db } from './db/client.ts';
import { withTenant } from './db/tenant.ts';
import { installedPlugins } from './installed-plugins.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { Logger } from './logger.ts';
import { createRegistry, type ExternalPlugin, type Registry, type StopReport } from './registry/index.ts';
import type { SecretBox } from './secrets/secret-box.ts';
import { bothStored, veeOnStored } from './services/analysis/vee/jobs.ts';
import { meterKinds } from './services/archives/meter-kinds.ts';
import { confirmFromReadings } from './services/commands/confirm.ts';
import { applyControlUpdate } from './services/commands/control-update.ts';
import { COMMAND_BACKOFF_MS } from './services/commands/options.ts';
import { permissionKeys } from './services/identity/permissions.ts';
import { settingsCodec } from './services/plugins/settings-codec.ts';
import { tenantPlugin } from './services/plugins/tenant-plugins.ts';
import { perReadingDeductions } from './services/prepaid/deduction/per-reading.ts';
import { enabledTenants } from './services/readings/device-registry.ts';
import { gatewayEvent, ingestReadings } from './services/readings/ingest.ts';
import { partitionKeeper } from './services/readings/partitions.ts';
import { zone } from './services/readings/zone.ts';

/** A route or public hook a plugin declared in setup, mounted by the HTTP app. */
export interface PluginMount {
  pluginId: string;
  scope: 'api' | 'hooks';
  method: HttpMethod;
  path: string;
  handler: RouteHandler;
  /** api routes: the permission the caller must hold */
  permission?: string;
  /** hooks: the body limit in KiB when the plugin asked for more than the default */
  bodyLimitKb?: number;
}

export interface PluginHost {
  registry: Registry;
  mounts: PluginMount[];
  /** stops one plugin: the workers of it and its dependants first, then the plugins */
  stopPlugin(id: string): Promise<StopReport>;
  stop(): Promise<unknown>;
}

export interface PluginHostDeps {
  logger: Logger;
  db: Db;
  jobs: Jobs;
  secrets: SecretBox;
  plugins?: readonly AnyPlugin[];
  /** the zone schedules run in (QUADMETER_TIMEZONE) */
  timezone?: string;
  /** the pool reading ingest runs on (the jobs pool); `db` when absent */
  ingestDb?: Db;
  /** each plugin's raw instance config (see plugin-config.ts) */
  configFor?: (id: string) => unknown;
  /** plugins loaded from outside the build (plugins-external/), run beside the installed ones */
  external?: readonly ExternalPlugin[];
  /** the deadline of each plugin hook (QUADMETER_HOOK_TIMEOUT_MS) */
  hookTimeoutMs?: number;
  /** false: plugin queues are declared but not worked here (an api node, docs/scaling.md) */
  workQueues?: boolean;
}

/** Plugin queues are namespaced by plugin id so two plugins never share one. */
export const pluginQueue = (pluginId: string, name: string) => `${pluginId}.${name}`;

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

interface QueueDecl {
  pluginId: string;
  queue: string;
  handler: QueueHandler;
}

interface ScheduleDecl {
  pluginId: string;
  queue: string;
  cron: string;
  data: Record<string, unknown>;
}

/** The plugin and every plugin depending on it, directly or through others. */
function withDependants(registry: Registry, id: string): Set<string> {
  const hit = new Set([id]);
  for (const p of registry.list()) if (p.dependsOn.some((d) => hit.has(d))) hit.add(p.id);
  return hit;
}

/**
 * Builds the registry from the installed plugins and runs their lifecycle with the server's
 * implementations of the SDK's setup API (routes, hooks, queues, schedules) and core API. Workers
 * and schedules start only for plugins whose `start` succeeded; handlers get the running context.
 */
export async function startPlugins(deps: PluginHostDeps): Promise<PluginHost> {
  const registry = createRegistry({
    plugins: deps.plugins ?? installedPlugins,
    logger: deps.logger,
    configFor: deps.configFor,
    permissions: permissionKeys,
    external: deps.external,
    hookTimeoutMs: deps.hookTimeoutMs,
  });
  const codec = settingsCodec(registry, deps.secrets);
  const mounts: PluginMount[] = [];
  const queues: QueueDecl[] = [];
  const schedules: ScheduleDecl[] = [];
  const setupApi = (pluginId: string): PluginSetupApi => ({
    route: (method, path, handler, options) =>
      mounts.push({ pluginId, scope: 'api', method, path, handler, permission: options?.permission }),
    hook: (method, path, handler, options) =>
      mounts.push({ pluginId, scope: 'hooks', method, path, handler, bodyLimitKb: options?.bodyLimitKb }),
    queue: (name, handler) => queues.push({ pluginId, queue: pluginQueue(pluginId, name), handler }),
    schedule: (name, cron, data) =>
      schedules.push({ pluginId, queue: pluginQueue(pluginId, name), cron, data: data ?? {} }),
  });
  const ingestDb = deps.ingestDb ?? deps.db;
  const zoneOf = zone(deps.timezone ?? DEFAULT_TIMEZONE);
  const partitions = partitionKeeper(ingestDb);
  // per-reading prepaid deduction (decision 0030) for readings pushed in by transports
  // and the touched meters' diagnosis (VEE, decision 0039), enqueued
  const stored = bothStored(
    perReadingDeductions(ingestDb, deps.jobs, deps.timezone ?? DEFAULT_TIMEZONE, deps.logger),
    veeOnStored(deps.jobs, deps.logger),
  );
  const core = (pluginId: string): CoreApi => ({
    async ingestReadings(readings) {
      const result = await ingestReadings(
        { db: ingestDb, kinds: meterKinds(registry), zone: zoneOf, partitions, stored },
        pluginId,
        readings,
      );
      await confirmFromReadings(ingestDb, readings, result.outcomes);
      return result;
    },
    gatewayOnline: (gateway, online, at) =>
      gatewayEvent(ingestDb, pluginId, gateway, { online, heartbeat: false, at }),
    gatewayHeartbeat: (gateway, at) =>
      gatewayEvent(ingestDb, pluginId, gateway, { online: true, heartbeat: true, at }),
    enabledTenants: () => enabledTenants(ingestDb, pluginId),
    async tenantSettings(tenantId: string) {
      const row = await withTenant(deps.db, tenantId, (tx) => tenantPlugin(tx, pluginId));
      return registry.validateTenantSettings(pluginId, codec.open(pluginId, row?.settings));
    },
    controlUpdate: (tenantId, update) =>
      applyControlUpdate(
        { db: ingestDb, jobs: deps.jobs, backoffMs: COMMAND_BACKOFF_MS },
        pluginId,
        tenantId,
        update,
      ),
  });
  await registry.setup(setupApi);
  await registry.start((base) => ({ ...base, core: core(base.pluginId) }));

  const running = (id: string) => registry.status(id) === 'running';
  const working = new Set<string>();
  for (const q of queues.filter((d) => running(d.pluginId) && deps.workQueues !== false)) {
    await deps.jobs.work(q.queue, async (job) => {
      const ctx = registry.context(q.pluginId);
      // a job arriving while the plugin stops is failed, and retried once it runs again
      if (!ctx) throw new AppError('PLUGIN_UNAVAILABLE', `Plugin '${q.pluginId}' is not running`);
      await q.handler({ id: job.id, name: q.queue, tenantId: job.tenantId, data: job.data }, ctx);
    });
    working.add(q.queue);
  }
  const tz = deps.timezone ?? DEFAULT_TIMEZONE;
  for (const s of schedules.filter((d) => running(d.pluginId))) {
    await deps.jobs.ensureQueue(s.queue);
    await deps.jobs.boss.schedule(s.queue, s.cron, s.data, { tz });
  }

  const offWork = async (pluginIds: ReadonlySet<string>) => {
    for (const q of queues) {
      if (!pluginIds.has(q.pluginId) || !working.delete(q.queue)) continue;
      await deps.jobs.offWork(q.queue).catch((err) => {
        deps.logger.warn({ plugin: q.pluginId, queue: q.queue, err }, 'stopping a plugin queue failed');
      });
    }
  };
  return {
    registry,
    mounts,
    async stopPlugin(id) {
      await offWork(withDependants(registry, id));
      return await registry.stopPlugin(id);
    },
    async stop() {
      await offWork(new Set(registry.list().map((p) => p.id)));
      return await registry.stop();
    },
  };
}

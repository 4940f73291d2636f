import { type IngestOutcome, type RawReading, rawReadingSchema } from '../kinds/reading.ts';
import type { ControlUpdate } from '../kinds/transport.ts';
import type { CoreApi, PluginContext, PluginSetupApi, SetupContext } from '../plugin/context.ts';
import type { HookOptions, HttpMethod, RouteHandler, RouteOptions } from '../plugin/http.ts';
import type { Logger } from '../plugin/logger.ts';

export interface LogEntry {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  bindings: Record<string, unknown>;
  obj?: object;
  msg?: string;
}

/** A logger that keeps what it was told, for assertions. */
export function recordingLogger(entries: LogEntry[] = [], bindings: Record<string, unknown> = {}): Logger {
  const at =
    (level: LogEntry['level']) =>
    (a: string | object, b?: string): void => {
      if (typeof a === 'string') entries.push({ level, bindings, msg: a });
      else entries.push({ level, bindings, obj: a, msg: b });
    };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLogger(entries, { ...bindings, ...more }),
  };
}

/** The tenant a test context's core answers for unless told otherwise. */
export const TEST_TENANT_ID = '00000000-0000-4000-8000-000000000001';

export interface TestContext<C> {
  ctx: PluginContext<C>;
  logs: LogEntry[];
  /** every batch handed to `core.ingestReadings` */
  ingested: (readonly RawReading[])[];
  /** every gateway event: online/offline and heartbeats, in order */
  gatewayEvents: { a1: string; a2: number; online: boolean; heartbeat: boolean; at?: string }[];
  /** every `core.controlUpdate` call, in order */
  controlUpdates: { tenantId: string; update: ControlUpdate }[];
  abort(): void;
}

/** A plugin context backed by memory: a recording logger and a core that keeps ingested readings. */
export function makeTestContext<C>(options: {
  pluginId: string;
  config: C;
  tenantSettings?: (tenantId: string) => unknown;
  /** the tenants that enabled the plugin (default one fixed tenant) */
  enabledTenants?: string[];
}): TestContext<C> {
  const logs: LogEntry[] = [];
  const ingested: TestContext<C>['ingested'] = [];
  const gatewayEvents: TestContext<C>['gatewayEvents'] = [];
  const controlUpdates: TestContext<C>['controlUpdates'] = [];
  const controller = new AbortController();
  const tenants = options.enabledTenants ?? [TEST_TENANT_ID];
  const core: CoreApi = {
    // every well-formed reading is stored for the first tenant; a malformed one is rejected
    async ingestReadings(readings) {
      ingested.push(readings);
      const outcomes = readings.map((r): IngestOutcome => {
        const parsed = rawReadingSchema.safeParse(r);
        if (!parsed.success)
          return {
            status: 'rejected',
            reasons: parsed.error.issues.map((i) => ({
              code: 'READING_MALFORMED',
              message: `${i.path.join('.')}: ${i.message}`,
            })),
          };
        return { status: 'stored', tenantId: r.tenantId ?? tenants[0], meterId: 'test-meter', flags: [] };
      });
      const count = (s: IngestOutcome['status']) => outcomes.filter((o) => o.status === s).length;
      return {
        outcomes,
        stored: count('stored'),
        duplicate: 0,
        rejected: count('rejected'),
        unmatched: 0,
      };
    },
    async gatewayOnline(gateway, online, at) {
      gatewayEvents.push({ ...gateway, online, heartbeat: false, at });
      return { matched: true, tenantId: tenants[0], gatewayId: `${gateway.a1}-${gateway.a2}` };
    },
    async gatewayHeartbeat(gateway, at) {
      gatewayEvents.push({ ...gateway, online: true, heartbeat: true, at });
      return { matched: true, tenantId: tenants[0], gatewayId: `${gateway.a1}-${gateway.a2}` };
    },
    async enabledTenants() {
      return [...tenants];
    },
    async tenantSettings(tenantId) {
      return options.tenantSettings?.(tenantId) ?? {};
    },
    // the first report on a command changes it; a repeat (a replayed callback) does not
    async controlUpdate(tenantId, update) {
      const key = update.commandId ?? update.platformRef;
      const changed = !controlUpdates.some(
        (u) => (u.update.commandId ?? u.update.platformRef) === key && u.update.status === update.status,
      );
      controlUpdates.push({ tenantId, update });
      return { matched: key !== undefined, changed };
    },
  };
  const ctx: PluginContext<C> = {
    pluginId: options.pluginId,
    logger: recordingLogger(logs, { plugin: options.pluginId }),
    config: options.config,
    signal: controller.signal,
    core,
  };
  return { ctx, logs, ingested, gatewayEvents, controlUpdates, abort: () => controller.abort() };
}

export interface Declared<C = unknown> {
  routes: {
    scope: 'api' | 'hooks';
    method: HttpMethod;
    path: string;
    handler: RouteHandler<C>;
    options?: RouteOptions & HookOptions;
  }[];
  queues: string[];
  schedules: { name: string; cron: string; data?: Record<string, unknown> }[];
}

/** A setup context that records the declarations instead of mounting them. */
export function makeSetupContext<C>(
  pluginId: string,
  config: C,
): { ctx: SetupContext<C>; declared: Declared<C> } {
  const declared: Declared<C> = { routes: [], queues: [], schedules: [] };
  const api: PluginSetupApi<C> = {
    route: (method, path, handler, options) =>
      void declared.routes.push({ scope: 'api', method, path, handler, ...(options && { options }) }),
    hook: (method, path, handler, options) =>
      void declared.routes.push({ scope: 'hooks', method, path, handler, ...(options && { options }) }),
    queue: (name) => void declared.queues.push(name),
    schedule: (name, cron, data) => void declared.schedules.push({ name, cron, data }),
  };
  return { ctx: { ...api, pluginId, logger: recordingLogger([], { plugin: pluginId }), config }, declared };
}

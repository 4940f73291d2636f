import type { RawReading } from '../kinds/reading.ts';
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

export interface TestContext<C> {
  ctx: PluginContext<C>;
  logs: LogEntry[];
  /** every batch handed to `core.ingestReadings`, with its tenant */
  ingested: { tenantId: string; readings: readonly RawReading[] }[];
  abort(): void;
}

/** A plugin context backed by memory: a recording logger and a core that keeps ingested readings. */
export function makeTestContext<C>(options: {
  pluginId: string;
  config: C;
  tenantSettings?: (tenantId: string) => unknown;
}): TestContext<C> {
  const logs: LogEntry[] = [];
  const ingested: TestContext<C>['ingested'] = [];
  const controller = new AbortController();
  const core: CoreApi = {
    async ingestReadings(tenantId, readings) {
      ingested.push({ tenantId, readings });
      return { accepted: readings.length, rejected: 0 };
    },
    async tenantSettings(tenantId) {
      return options.tenantSettings?.(tenantId) ?? {};
    },
  };
  const ctx: PluginContext<C> = {
    pluginId: options.pluginId,
    logger: recordingLogger(logs, { plugin: options.pluginId }),
    config: options.config,
    signal: controller.signal,
    core,
  };
  return { ctx, logs, ingested, abort: () => controller.abort() };
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

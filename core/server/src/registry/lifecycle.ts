import {
  AppError,
  type HookOptions,
  type HttpMethod,
  type Logger,
  type PluginContext,
  type PluginSetupApi,
  type RouteHandler,
  type RouteOptions,
  type SetupContext,
} from '@quadmeter/sdk';
import { fail } from './failures.ts';
import { asError, messageOf, runHook } from './run-hook.ts';
import type { Declared, Entry, StopReport } from './types.ts';

export type ContextBase = Omit<PluginContext<unknown>, 'core'>;
export type MakeSetupApi = (pluginId: string) => PluginSetupApi;
export type MakeContext = (base: ContextBase) => PluginContext<unknown>;

export interface Runtime {
  order: Entry[];
  logger: Logger;
  hookTimeoutMs: number;
  /** the core permission catalogue; a route naming any other permission is refused at setup */
  permissions?: ReadonlySet<string>;
}

/** The permission an api route without one requires: reading for GET, managing for the rest. */
export function defaultRoutePermission(method: HttpMethod): string {
  return method === 'GET' ? 'plugins.read' : 'plugins.manage';
}

function routeInvalid(e: Entry, message: string): AppError {
  return new AppError('PLUGIN_ROUTE_INVALID', message, { pluginId: e.id });
}

/** Checks a declared route's options; returns what the registry records about them. */
function checkRouteOptions(
  rt: Runtime,
  e: Entry,
  scope: 'api' | 'hooks',
  method: HttpMethod,
  path: string,
  options: (RouteOptions & HookOptions) | undefined,
): { permission?: string; bodyLimitKb?: number } {
  if (scope === 'api') {
    const permission = options?.permission ?? defaultRoutePermission(method);
    if (rt.permissions && !rt.permissions.has(permission))
      throw routeInvalid(e, `Route ${method} ${path} names the unknown permission '${permission}'`);
    return { permission };
  }
  const kb = options?.bodyLimitKb;
  if (kb === undefined) return {};
  if (!Number.isInteger(kb) || kb <= 0 || kb > 100 * 1024)
    throw routeInvalid(e, `Hook ${method} ${path} has an invalid bodyLimitKb (1 … 102400)`);
  return { bodyLimitKb: kb };
}

type Call = (api: PluginSetupApi) => void;

/** A setup context that records declarations and defers them until the hook has succeeded. */
function recordingSetup(
  rt: Runtime,
  e: Entry,
  logger: Logger,
): { ctx: SetupContext<unknown>; declared: Declared; calls: Call[] } {
  const declared: Declared = { routes: [], queues: [], schedules: [] };
  const calls: Call[] = [];
  const route =
    (scope: 'api' | 'hooks') =>
    (method: HttpMethod, path: string, handler: RouteHandler, options?: RouteOptions & HookOptions) => {
      if (!path.startsWith('/')) throw routeInvalid(e, `Route path '${path}' must start with '/'`);
      const checked = checkRouteOptions(rt, e, scope, method, path, options);
      declared.routes.push({ scope, method, path, ...checked });
      calls.push((api) =>
        scope === 'api'
          ? api.route(method, path, handler, { permission: checked.permission })
          : api.hook(method, path, handler, checked),
      );
    };
  const ctx: SetupContext<unknown> = {
    pluginId: e.id,
    logger,
    config: e.config,
    route: route('api'),
    hook: route('hooks'),
    queue: (name, handler) => {
      declared.queues.push(name);
      calls.push((api) => api.queue(name, handler));
    },
    schedule: (name, cron, data) => {
      declared.schedules.push({ name, cron });
      calls.push((api) => api.schedule(name, cron, data));
    },
  };
  return { ctx, declared, calls };
}

export async function setupAll(rt: Runtime, makeSetupApi?: MakeSetupApi): Promise<void> {
  for (const e of rt.order) {
    if (e.status !== 'registered' || e.setUp) continue;
    const logger = rt.logger.child({ plugin: e.id });
    const { ctx, declared, calls } = recordingSetup(rt, e, logger);
    try {
      await runHook(e.id, 'setup', rt.hookTimeoutMs, () => e.plugin.setup?.(ctx));
      const p = e.plugin;
      if (p.kind === 'transport' && p.mode === 'push') p.routes?.({ route: ctx.hook });
      const api = makeSetupApi?.(e.id);
      if (api) for (const call of calls) call(api);
      e.declared = declared;
      e.setUp = true;
    } catch (err) {
      fail(e, err, rt.order, rt.logger, 'PLUGIN_SETUP_FAILED');
    }
  }
}

async function stopOne(rt: Runtime, e: Entry): Promise<void> {
  if (!e.ctx) return;
  e.controller?.abort();
  const deadline = new AbortController();
  const ctx = { ...e.ctx, signal: deadline.signal };
  await runHook(
    e.id,
    'stop',
    rt.hookTimeoutMs,
    () => e.plugin.stop?.(ctx),
    () => deadline.abort(),
  );
}

export async function startAll(rt: Runtime, makeContext: MakeContext): Promise<void> {
  for (const e of rt.order) {
    if (e.status !== 'registered') continue;
    if (!e.setUp) throw new AppError('INTERNAL', `setup() must run before start() (plugin '${e.id}')`);
    const controller = new AbortController();
    const logger = rt.logger.child({ plugin: e.id });
    e.controller = controller;
    e.ctx = makeContext({ pluginId: e.id, logger, config: e.config, signal: controller.signal });
    try {
      await runHook(
        e.id,
        'start',
        rt.hookTimeoutMs,
        () => e.plugin.start?.(e.ctx as PluginContext<unknown>),
        () => controller.abort(),
      );
      e.status = 'running';
      logger.info('plugin started');
    } catch (err) {
      await stopOne(rt, e).catch((stopErr) =>
        logger.warn({ err: asError(stopErr) }, 'stop after a failed start failed too'),
      );
      try {
        fail(e, err, rt.order, rt.logger, 'PLUGIN_START_FAILED');
      } catch (fatal) {
        await stopAll(rt);
        throw fatal;
      }
    }
  }
}

/**
 * Stops running plugins in reverse order (only `only` when given); every hook gets its deadline
 * and errors are collected.
 */
export async function stopAll(rt: Runtime, only?: ReadonlySet<string>): Promise<StopReport> {
  const errors: StopReport['errors'] = [];
  for (const e of [...rt.order].reverse()) {
    if (e.status !== 'running' || (only && !only.has(e.id))) continue;
    try {
      await stopOne(rt, e);
      rt.logger.info({ plugin: e.id }, 'plugin stopped');
    } catch (err) {
      errors.push({ id: e.id, error: asError(err) });
      e.error = messageOf(err);
      rt.logger.error({ plugin: e.id, err: asError(err) }, 'plugin did not stop cleanly');
    }
    e.status = 'stopped';
  }
  return { errors };
}

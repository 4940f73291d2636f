import {
  AppError,
  type HttpMethod,
  type Logger,
  type PluginContext,
  type PluginSetupApi,
  type RouteHandler,
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
}

type Call = (api: PluginSetupApi) => void;

/** A setup context that records declarations and defers them until the hook has succeeded. */
function recordingSetup(
  e: Entry,
  logger: Logger,
): { ctx: SetupContext<unknown>; declared: Declared; calls: Call[] } {
  const declared: Declared = { routes: [], queues: [], schedules: [] };
  const calls: Call[] = [];
  const route = (scope: 'api' | 'hooks') => (method: HttpMethod, path: string, handler: RouteHandler) => {
    if (!path.startsWith('/'))
      throw new AppError('PLUGIN_ROUTE_INVALID', `Route path '${path}' must start with '/'`, {
        pluginId: e.id,
      });
    declared.routes.push({ scope, method, path });
    calls.push((api) => (scope === 'api' ? api.route : api.hook)(method, path, handler));
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
    const { ctx, declared, calls } = recordingSetup(e, logger);
    try {
      await runHook(e.id, 'setup', rt.hookTimeoutMs, () => e.plugin.setup?.(ctx));
      const p = e.plugin;
      if (p.kind === 'transport' && p.mode === 'push') p.routes?.({ route: ctx.hook });
      const api = makeSetupApi?.(e.id);
      if (api) for (const call of calls) call(api);
      e.declared = declared;
      e.setUp = true;
    } catch (err) {
      fail(e, err, rt.order, rt.logger);
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
        fail(e, err, rt.order, rt.logger);
      } catch (fatal) {
        await stopAll(rt);
        throw fatal;
      }
    }
  }
}

/** Stops running plugins in reverse order; every hook gets its deadline and errors are collected. */
export async function stopAll(rt: Runtime): Promise<StopReport> {
  const errors: StopReport['errors'] = [];
  for (const e of [...rt.order].reverse()) {
    if (e.status !== 'running') continue;
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

import type { CoreApi, PluginContext } from '@quadmeter/sdk';
import { configSchema, type Gdw1376Config } from './config.ts';
import { MasterStation } from './master.ts';

/**
 * The running master station of a plugin instance. It is keyed by the context's core API: the
 * server hands `start`, the calls and `stop` contexts that share it (stop gets a copy with its
 * own deadline signal).
 */
const running = new WeakMap<CoreApi, MasterStation | null>();

export async function startMaster(ctx: PluginContext<Gdw1376Config>): Promise<void> {
  if (running.has(ctx.core)) return;
  const config = configSchema.parse(ctx.config ?? {});
  if (config.port === undefined) {
    running.set(ctx.core, null);
    ctx.logger.info('no port configured: the concentrator master station is off');
    return;
  }
  const master = new MasterStation(config, ctx.core, ctx.logger);
  running.set(ctx.core, master);
  try {
    await master.listen();
  } catch (e) {
    running.delete(ctx.core);
    throw e;
  }
}

export async function stopMaster(ctx: PluginContext<Gdw1376Config>): Promise<void> {
  if (!running.has(ctx.core)) return;
  const master = running.get(ctx.core);
  running.delete(ctx.core);
  await master?.close();
}

/** The master station of a started context; calls before start fail as if every gateway were offline. */
export function masterOf(ctx: PluginContext<Gdw1376Config>): MasterStation | undefined {
  return running.get(ctx.core) ?? undefined;
}

/** 'off' when started without a port, 'stopped' when not started. */
export function masterState(ctx: PluginContext<Gdw1376Config>): 'running' | 'off' | 'stopped' {
  const m = running.get(ctx.core);
  return m ? 'running' : m === null ? 'off' : 'stopped';
}

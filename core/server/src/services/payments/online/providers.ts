import { AppError, type PaymentPlugin, type PluginContext } from '@quadmeter/sdk';
import type { Tx } from '../../../db/client.ts';
import type { Registry } from '../../../registry/index.ts';
import { tenantPlugin } from '../../plugins/tenant-plugins.ts';
import { COUNTER_PLUGIN } from '../counter-rules.ts';

export interface OnlineProvider {
  plugin: PaymentPlugin<unknown, unknown>;
  ctx: PluginContext<unknown>;
}

/** An installed payment plugin that takes online orders (not the counter), or PAY_PROVIDER_UNKNOWN. */
export function paymentPluginOf(registry: Registry, id: string): PaymentPlugin<unknown, unknown> {
  const plugin = registry.get(id) as PaymentPlugin<unknown, unknown> | undefined;
  if (plugin?.kind !== 'payment' || id === COUNTER_PLUGIN)
    throw new AppError('PAY_PROVIDER_UNKNOWN', undefined, { provider: id });
  return plugin;
}

/** The running provider (PLUGIN_UNAVAILABLE while it is not). */
export function runningProvider(registry: Registry, id: string): OnlineProvider {
  const plugin = paymentPluginOf(registry, id);
  const ctx = registry.context(id) as PluginContext<unknown> | undefined;
  if (!ctx)
    throw new AppError('PLUGIN_UNAVAILABLE', `Plugin '${id}' is ${registry.status(id)}`, {
      pluginId: id,
      status: registry.status(id),
    });
  return { plugin, ctx };
}

/** New orders need the provider switched on for the tenant; existing ones are always served. */
export async function requireEnabled(tx: Tx, id: string): Promise<void> {
  if ((await tenantPlugin(tx, id))?.enabled !== true)
    throw new AppError('PLUGIN_DISABLED', `Plugin '${id}' is not enabled for this tenant`, { pluginId: id });
}

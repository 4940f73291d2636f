import type { PluginContext } from '@quadmeter/sdk';
import { type NbiotSettings, tenantSettings } from './settings.ts';

/** How long a tenant's enablement and settings are reused before they are read again. */
export const SETTINGS_TTL_MS = 5_000;

interface Entry {
  until: number;
  value: Promise<NbiotSettings | undefined>;
}

const caches = new WeakMap<PluginContext, Map<string, Entry>>();

async function read(ctx: PluginContext, tenantId: string): Promise<NbiotSettings | undefined> {
  if (!(await ctx.core.enabledTenants()).includes(tenantId)) return undefined;
  const parsed = tenantSettings.safeParse(await ctx.core.tenantSettings(tenantId));
  return parsed.success ? parsed.data : undefined;
}

/**
 * The settings of a tenant that enabled the plugin (undefined otherwise), read at most once per
 * SETTINGS_TTL_MS per tenant: a push costs no look-ups while they are fresh. A changed token or a
 * disabled plugin takes effect within that time. At most 10 000 tenants are remembered.
 */
export function tenantSettingsOf(
  ctx: PluginContext,
  tenantId: string,
  now = Date.now(),
): Promise<NbiotSettings | undefined> {
  const cache = caches.get(ctx) ?? new Map<string, Entry>();
  caches.set(ctx, cache);
  const hit = cache.get(tenantId);
  if (hit && hit.until > now) return hit.value;
  if (cache.size >= 10_000) cache.clear();
  const value = read(ctx, tenantId);
  cache.set(tenantId, { until: now + SETTINGS_TTL_MS, value });
  // a failed read is not remembered
  value.catch(() => cache.delete(tenantId));
  return value;
}

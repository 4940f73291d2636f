import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { pluginSettings } from '../../db/schema/index.ts';

/** What a tenant chose for each plugin: enabled flag and settings (validated on write). */
export async function tenantPluginSettings(tx: Tx) {
  const rows = await tx.select().from(pluginSettings);
  return new Map(
    rows.map((r) => [r.pluginId, { enabled: r.enabled, settings: r.settings as Record<string, unknown> }]),
  );
}

export async function saveTenantPlugin(
  tx: Tx,
  tenantId: string,
  pluginId: string,
  value: { enabled: boolean; settings: Record<string, unknown> },
) {
  const [before] = await tx.select().from(pluginSettings).where(eq(pluginSettings.pluginId, pluginId));
  await tx
    .insert(pluginSettings)
    .values({ tenantId, pluginId, enabled: value.enabled, settings: value.settings })
    .onConflictDoUpdate({
      target: [pluginSettings.tenantId, pluginSettings.pluginId],
      set: { enabled: value.enabled, settings: value.settings, updatedAt: new Date() },
    });
  return before ?? null;
}

import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { pluginSettings } from '../../db/schema/index.ts';
import type { Registry } from '../../registry/index.ts';
import type { Settings, SettingsCodec } from './settings-codec.ts';

/** What a tenant chose for each plugin: enabled flag and settings as stored (secrets sealed). */
export async function tenantPluginSettings(tx: Tx) {
  const rows = await tx.select().from(pluginSettings);
  return new Map(rows.map((r) => [r.pluginId, { enabled: r.enabled, settings: r.settings as Settings }]));
}

/** This tenant's row for one plugin, or undefined when it never chose anything. */
export async function tenantPlugin(tx: Tx, pluginId: string) {
  const [row] = await tx.select().from(pluginSettings).where(eq(pluginSettings.pluginId, pluginId));
  return row && { enabled: row.enabled, settings: row.settings as Settings };
}

/**
 * Validates and saves a tenant's choice for a plugin. Secret fields left empty keep their stored
 * value; secrets are sealed before they are written. Returns before/after with secrets redacted.
 */
export async function configureTenantPlugin(
  tx: Tx,
  deps: { registry: Registry; codec: SettingsCodec },
  tenantId: string,
  pluginId: string,
  submitted: { enabled: boolean; settings: Settings },
) {
  const { registry, codec } = deps;
  const before = await tenantPlugin(tx, pluginId);
  const merged = codec.keep(pluginId, submitted.settings, codec.open(pluginId, before?.settings));
  const settings = codec.seal(pluginId, registry.validateTenantSettings(pluginId, merged) as Settings);
  await tx
    .insert(pluginSettings)
    .values({ tenantId, pluginId, enabled: submitted.enabled, settings })
    .onConflictDoUpdate({
      target: [pluginSettings.tenantId, pluginSettings.pluginId],
      set: { enabled: submitted.enabled, settings, updatedAt: new Date() },
    });
  return {
    before: before ? { enabled: before.enabled, settings: codec.redact(pluginId, before.settings) } : null,
    after: { enabled: submitted.enabled, settings: codec.redact(pluginId, settings) },
  };
}

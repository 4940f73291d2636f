import { withTenant } from './db/tenant.ts';
import type { Platform } from './platform.ts';
import { settingsCodec } from './services/plugins/settings-codec.ts';
import { configureTenantPlugin, tenantPlugin } from './services/plugins/tenant-plugins.ts';
import { findTenantByCode } from './services/tenants/tenants.ts';

/** The ChirpStack application id the demo's LoRa meters publish under. */
export const DEMO_LORA_APPLICATION = 'demo';

/**
 * Points the demo tenant's LoRa transport at the embedded broker the demo simulators run, when the
 * tenant has no broker of its own: its broker URL is empty, or one the demo set before (a loopback
 * URL with the demo application). A broker an operator configured is left alone. Returns whether
 * the settings now name `mqttUrl`; the plugin subscribes at its next sync.
 */
export async function useDemoBroker(p: Platform, mqttUrl: string): Promise<boolean> {
  const tenant = await findTenantByCode(p.db, 'demo');
  if (!tenant || !p.registry.get('transport-lora')) return false;
  const codec = settingsCodec(p.registry, p.secrets);
  return withTenant(p.db, tenant.id, async (tx) => {
    const row = await tenantPlugin(tx, 'transport-lora');
    const current = codec.open('transport-lora', row?.settings) as {
      brokerUrl?: string;
      applicationId?: string;
    };
    const demoOwned =
      !current.brokerUrl ||
      (current.brokerUrl.startsWith('mqtt://127.0.0.1:') && current.applicationId === DEMO_LORA_APPLICATION);
    if (!demoOwned) return false;
    await configureTenantPlugin(tx, { registry: p.registry, codec }, tenant.id, 'transport-lora', {
      enabled: true,
      settings: { ...current, brokerUrl: mqttUrl, applicationId: DEMO_LORA_APPLICATION },
    });
    return true;
  });
}

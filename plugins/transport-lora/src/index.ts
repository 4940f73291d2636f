import { heardMeter } from '@quadmeter/protocols/push/index.ts';
import { defineTransport, SDK_API_VERSION } from '@quadmeter/sdk';
import { z } from 'zod';
import { loraControl } from './control.ts';
import { type LoraSettings, tenantSettings } from './settings.ts';
import { LoraSubscriptions } from './subscriptions.ts';

const config = z.object({
  /** how often tenants' settings are checked for a broker to connect to or drop, in seconds */
  syncSeconds: z.number().int().min(1).max(3600).default(30),
});
type LoraConfig = z.infer<typeof config>;

const running = new Map<string, { subs: LoraSubscriptions; timer: NodeJS.Timeout }>();

/** The running subscriptions of the plugin instance (health, tests). */
export function subscriptionsOf(pluginId = 'transport-lora'): LoraSubscriptions | undefined {
  return running.get(pluginId)?.subs;
}

/** LoRaWAN meters behind a ChirpStack v4 network server, through its MQTT integration. */
export default defineTransport<LoraConfig, LoraSettings>({
  kind: 'transport',
  id: 'transport-lora',
  version: '0.1.0',
  apiVersion: SDK_API_VERSION,
  title: { 'zh-CN': 'LoRaWAN（ChirpStack MQTT）', en: 'LoRaWAN (ChirpStack MQTT)' },
  mode: 'push',
  // 'lora': archive meters named by their link; the frame inside is CJ/T 188 or DL/T 645
  protocols: ['cjt188', 'dlt645-2007', 'lora'],
  reaches: ['lora'],
  config,
  tenantSettings,
  async start(ctx) {
    const subs = new LoraSubscriptions(ctx);
    const timer = setInterval(() => {
      subs.sync().catch((err) => ctx.logger.warn({ err }, 'LoRa subscriptions not synced'));
    }, ctx.config.syncSeconds * 1000);
    timer.unref();
    running.set(ctx.pluginId, { subs, timer });
    await subs.sync();
  },
  async control(command, ctx) {
    const subs = running.get(ctx.pluginId)?.subs;
    const parsed = tenantSettings.safeParse(await ctx.core.tenantSettings(command.tenantId));
    const enabled = (await ctx.core.enabledTenants()).includes(command.tenantId);
    const s = enabled && parsed.success ? parsed.data : undefined;
    // publish only on a connection made with the tenant's current settings
    const same = s && JSON.stringify(subs?.settingsOf(command.tenantId)) === JSON.stringify(s);
    const devEui = command.route?.via === 'lora' ? command.route.devEui.toLowerCase() : '';
    return loraControl(
      command,
      s,
      same ? subs?.publisher(command.tenantId) : undefined,
      Date.now(),
      heardMeter(ctx, command.tenantId, devEui),
    );
  },
  async stop(ctx) {
    const r = running.get(ctx.pluginId);
    running.delete(ctx.pluginId);
    if (!r) return;
    clearInterval(r.timer);
    await r.subs.close();
  },
  health(ctx) {
    const subs = running.get(ctx.pluginId)?.subs;
    if (!subs) return { ok: false, detail: 'not running' };
    const s = subs.stats;
    return {
      ok: true,
      detail: `${subs.connected().length} tenant(s) connected; ${s.ingested} ingested, ${s.skipped} skipped, ${s.failed} failed`,
    };
  },
});

import { randomBytes } from 'node:crypto';
import { withTenant } from './db/tenant.ts';
import type { Logger } from './logger.ts';
import { importOptional } from './optional-import.ts';
import type { Platform } from './platform.ts';
import { settingsCodec } from './services/plugins/settings-codec.ts';
import { configureTenantPlugin, tenantPlugin } from './services/plugins/tenant-plugins.ts';
import { findTenantByCode } from './services/tenants/tenants.ts';

type Simulators = typeof import('@quadmeter/simulators');

/** The demo estate's NB-IoT water meters (demo-estate-meters.ts: 阳光花园 households and shops). */
export const DEMO_NBIOT_METERS = 783;

/**
 * The demo tenant's OneNET push token: the one it has, or (none yet) a new one saved with the
 * transport enabled, so the simulated platform can sign its pushes. Undefined without a demo
 * tenant or without transport-nbiot.
 */
export async function demoToken(p: Platform): Promise<{ tenantId: string; token: string } | undefined> {
  const tenant = await findTenantByCode(p.db, 'demo');
  if (!tenant || !p.registry.get('transport-nbiot')) return undefined;
  const codec = settingsCodec(p.registry, p.secrets);
  return await withTenant(p.db, tenant.id, async (tx) => {
    const row = await tenantPlugin(tx, 'transport-nbiot');
    const current = codec.open('transport-nbiot', row?.settings) as { onenetToken?: string };
    if (current.onenetToken) return { tenantId: tenant.id, token: current.onenetToken };
    const token = randomBytes(16).toString('hex');
    await configureTenantPlugin(tx, { registry: p.registry, codec }, tenant.id, 'transport-nbiot', {
      enabled: true,
      settings: { ...current, onenetToken: token },
    });
    return { tenantId: tenant.id, token };
  });
}

/**
 * The demo's NB-IoT water meters on OneNET: every meter of the estate (IMEI 86 + its number, CJ/T
 * 188 address the number, volume from 9 + number) and one IMEI no meter names (it lands in the
 * unmatched-uplinks inbox), pushed signed to the platform's own webhook at `baseUrl` right away and
 * then every QUADMETER_SIM_NBIOT_INTERVAL seconds (default 300).
 */
export async function startDemoNbiot(
  p: Platform,
  baseUrl: string,
  logger: Logger,
  meters = DEMO_NBIOT_METERS,
): Promise<{ url: string; devices: number; stop(): Promise<void> } | undefined> {
  const demo = await demoToken(p);
  if (!demo) return undefined;
  const { CJT188_TYPES, Cjt188Meter, NbiotPusher, systemClock } = await importOptional<Simulators>(
    '@quadmeter/simulators',
    'the demo NB-IoT meters',
  );
  const device = (n: number) => ({
    imei: `86${String(n).padStart(13, '0')}`,
    deviceId: String(100_000 + n),
    source: {
      kind: 'cjt188' as const,
      meter: new Cjt188Meter({
        type: CJT188_TYPES.coldWater,
        address: String(n).padStart(14, '0'),
        clock: systemClock,
        initialVolume: 9 + n,
      }),
    },
  });
  const devices = [...Array.from({ length: meters }, (_, i) => device(i + 1)), device(9_001)];
  const url = `${baseUrl}/hooks/transport-nbiot/onenet/${demo.tenantId}`;
  let failed = 0;
  const pusher = new NbiotPusher({
    url,
    platform: 'onenet',
    token: demo.token,
    devices,
    intervalSec: Number(process.env.QUADMETER_SIM_NBIOT_INTERVAL ?? 300),
    onResult: (r) => {
      if ((r.status < 200 || r.status > 299) && failed++ < 3)
        logger.warn({ device: r.deviceId, status: r.status, error: r.error }, 'demo NB-IoT push refused');
    },
  });
  pusher.start();
  logger.info({ url, devices: devices.length }, 'demo NB-IoT meters pushing through OneNET');
  console.log(`  Simulated NB-IoT meters: ${devices.length} pushing (OneNET, signed) to ${url}`);
  return {
    url,
    devices: devices.length,
    async stop() {
      pusher.stop();
    },
  };
}

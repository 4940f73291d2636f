import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { withTenant } from './db/tenant.ts';
import type { Logger } from './logger.ts';
import { importOptional } from './optional-import.ts';
import type { Platform } from './platform.ts';
import { settingsCodec } from './services/plugins/settings-codec.ts';
import { configureTenantPlugin, tenantPlugin } from './services/plugins/tenant-plugins.ts';
import { findTenantByCode } from './services/tenants/tenants.ts';

type Simulators = typeof import('@quadmeter/simulators');

/** An NB-IoT meter of the demo archive: its IMEI, CJ/T 188 address and initial reading. */
interface ArchivedMeter {
  imei: string;
  address: string;
  initial: number;
}

/** The OneNET API base URLs the demo may replace: the platform's own, or a local simulator's. */
const REPLACEABLE_API = /^(?:https:\/\/api\.heclouds\.com|http:\/\/127\.0\.0\.1:\d+)\/?$/;

/**
 * The demo tenant's OneNET push token and API key: the ones it has, or (none yet) new ones saved
 * with the transport enabled, so the simulated platform can sign its pushes and check the
 * commands' api-key. With `apiUrl`, the tenant's OneNET API URL is pointed at the simulated
 * platform (unless the tenant set a real one of its own). Undefined without a demo tenant or
 * without transport-nbiot.
 */
export async function demoToken(
  p: Platform,
  apiUrl?: string,
): Promise<{ tenantId: string; token: string; apiKey: string; meters: ArchivedMeter[] } | undefined> {
  const tenant = await findTenantByCode(p.db, 'demo');
  if (!tenant || !p.registry.get('transport-nbiot')) return undefined;
  const codec = settingsCodec(p.registry, p.secrets);
  return await withTenant(p.db, tenant.id, async (tx) => {
    const meters = (await tx.execute(sql`
      select r.address as imei, m.comm_address as address, m.initial_reading::float8 as initial
      from meters m join meter_routes r on r.meter_id = m.id
      where r.via = 'nbiot' and r.line = 'onenet' and m.protocol = 'nbiot' order by r.address`)) as unknown as ArchivedMeter[];
    const row = await tenantPlugin(tx, 'transport-nbiot');
    const current = codec.open('transport-nbiot', row?.settings) as {
      onenetToken?: string;
      onenetApiKey?: string;
      onenetApiUrl?: string;
    };
    const token = current.onenetToken || randomBytes(16).toString('hex');
    const apiKey = current.onenetApiKey || randomBytes(16).toString('hex');
    const url =
      apiUrl && REPLACEABLE_API.test(current.onenetApiUrl ?? 'https://api.heclouds.com')
        ? apiUrl
        : current.onenetApiUrl;
    if (token !== current.onenetToken || apiKey !== current.onenetApiKey || url !== current.onenetApiUrl)
      await configureTenantPlugin(tx, { registry: p.registry, codec }, tenant.id, 'transport-nbiot', {
        enabled: row?.enabled ?? true,
        settings: { ...current, onenetToken: token, onenetApiKey: apiKey, ...(url && { onenetApiUrl: url }) },
      });
    return { tenantId: tenant.id, token, apiKey, meters };
  });
}

/**
 * The demo's NB-IoT water meters on OneNET: every NB-IoT water meter of the demo archive (its IMEI
 * and CJ/T 188 address, the volume running on from its initial reading) and one IMEI no meter
 * names (it lands in the unmatched-uplinks inbox), pushed signed to the platform's own webhook at
 * `baseUrl` right away and then every QUADMETER_SIM_NBIOT_INTERVAL seconds (default 300).
 * `limit` caps how many archived meters push (tests).
 */
export async function startDemoNbiot(
  p: Platform,
  baseUrl: string,
  logger: Logger,
  limit = Number.POSITIVE_INFINITY,
): Promise<
  | { url: string; apiUrl: string; devices: number; firstRound: Promise<void>; stop(): Promise<void> }
  | undefined
> {
  if (!(await demoToken(p))) return undefined;
  const { CJT188_TYPES, Cjt188Meter, NbPlatformSim, systemClock } = await importOptional<Simulators>(
    '@quadmeter/simulators',
    'the demo NB-IoT meters',
  );
  // the simulated OneNET: its command API on a free port, named in the demo tenant's settings
  const sim = new NbPlatformSim({ devices: [] });
  const apiUrl = await sim.start();
  const demo = await demoToken(p, apiUrl);
  if (!demo) {
    await sim.stop();
    return undefined;
  }
  const device = (m: ArchivedMeter, n: number) => ({
    imei: m.imei,
    deviceId: String(100_000 + n),
    source: {
      kind: 'cjt188' as const,
      meter: new Cjt188Meter({
        type: CJT188_TYPES.coldWater,
        address: m.address,
        clock: systemClock,
        initialVolume: m.initial,
      }),
    },
  });
  const unknown = { imei: '860000000009001', address: '00000000009001', initial: 10 };
  const devices = [...demo.meters.slice(0, limit), unknown].map((m, i) => device(m, i + 1));
  const url = `${baseUrl}/hooks/transport-nbiot/onenet/${demo.tenantId}`;
  let failed = 0;
  sim.options.devices.push(...devices);
  sim.options.onenet = { apiKey: demo.apiKey, token: demo.token, pushUrl: url };
  sim.options.onResult = (r) => {
    if ((r.status < 200 || r.status > 299) && failed++ < 3)
      logger.warn({ device: r.deviceId, status: r.status, error: r.error }, 'demo NB-IoT push refused');
  };
  // a round right away, then one every interval (a round never overlaps the one before); the
  // meters take the valve commands cached for them after their report
  const intervalMs = Number(process.env.QUADMETER_SIM_NBIOT_INTERVAL ?? 300) * 1000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const round = (): Promise<void> =>
    sim.uplinkAll('onenet').then(
      () => {
        if (!stopped) timer = setTimeout(round, intervalMs);
      },
      (err) => logger.warn({ err }, 'demo NB-IoT pushes failed'),
    );
  const firstRound = round();
  logger.info({ url, apiUrl, devices: devices.length }, 'demo NB-IoT meters pushing through OneNET');
  console.log(`  Simulated NB-IoT meters: ${devices.length} pushing (OneNET, signed) to ${url}`);
  console.log(`  Simulated OneNET command API (valve commands wait for each meter's next report): ${apiUrl}`);
  return {
    url,
    apiUrl,
    devices: devices.length,
    firstRound,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await firstRound;
      await sim.stop();
    },
  };
}

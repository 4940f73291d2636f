// NB-IoT webhook throughput through the whole path (HTTP → hook → tenant token check → CTWing
// body → CJ/T 188 frame → ingest: device registry, tenant transaction, reading, key, rollups)
// beside GET /healthz over the same HTTP client in the same run, same concurrency. The ratio
// says how many health checks one uplink costs.
//   npm run bench -- nbiot-webhook [seconds-per-phase] [concurrency] [meters]

import { CJT188_TYPES, Cjt188Meter } from '../core/simulators/src/meters/cjt188-meter.ts';
import { reportBytes } from '../core/simulators/src/pushers/device-report.ts';
import { type NbDevice, NbiotPusher } from '../core/simulators/src/pushers/nbiot-pusher.ts';
import { ManualClock } from '../core/simulators/src/time/clock.ts';
import { benchPlatform } from './bench-platform.ts';

const budget = Number(process.env.BENCH_BUDGET_S ?? Number.POSITIVE_INFINITY);
const seconds = Math.min(Number(process.argv[2] ?? 20), budget);
const concurrency = Number(process.argv[3] ?? 8);
const meterCount = Number(process.argv[4] ?? 64);
const TOKEN = 'bench-ctwing-token';

const platform = await benchPlatform();
const running = platform.running;

async function api(method: string, path: string, cookie: string, csrf: string, body?: unknown) {
  const res = await fetch(running.url + path, {
    method,
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

try {
  const { cookie, csrfToken, tenantId } = await platform.login();
  const tenant = { id: tenantId };
  await api('PUT', '/api/v1/plugins/transport-nbiot/tenant', cookie, csrfToken, {
    enabled: true,
    settings: { ctwingToken: TOKEN },
  });
  const areas = ((await api('GET', '/api/v1/areas', cookie, csrfToken)) as { items: { id: string }[] }).items;
  const clock = new ManualClock(Date.now() - 30 * 86_400_000);
  const devices: NbDevice[] = [];
  for (let i = 0; i < meterCount; i++) {
    const imei = `86900000${String(i).padStart(7, '0')}`;
    const address = String(90_000_000_000_000 + i);
    await api('POST', '/api/v1/meters', cookie, csrfToken, {
      kind: 'meter-water',
      assetNo: `NB-${i}`,
      commAddress: address,
      protocol: 'cjt188',
      areaId: areas[areas.length - 1].id,
      route: { via: 'nbiot', platform: 'ctwing', deviceId: imei },
    });
    const meter = new Cjt188Meter({ type: CJT188_TYPES.coldWater, address, clock, initialVolume: 1 });
    devices.push({ imei, deviceId: String(300_000 + i), source: { kind: 'cjt188', meter } });
  }
  const url = `${running.url}/hooks/transport-nbiot/ctwing/${tenant.id}?token=${TOKEN}`;
  const pusher = new NbiotPusher({ url, platform: 'ctwing', devices });
  let seq = 0;
  let at = clock.now();
  const webhook = async () => {
    const d = devices[seq++ % devices.length];
    at += 1000;
    clock.advance(1000);
    const body = JSON.stringify(pusher.body(d, reportBytes(d.source, seq), at));
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const out = (await res.json()) as { stored?: number };
    if (res.status !== 200 || out.stored !== 1)
      throw new Error(`webhook: ${res.status} ${JSON.stringify(out)}`);
  };
  const health = async () => {
    const res = await fetch(`${running.url}/healthz`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`healthz: ${res.status}`);
  };
  /** requests per second of `fn` run by `concurrency` workers for `s` seconds */
  const rate = async (fn: () => Promise<void>, s: number) => {
    let n = 0;
    const end = performance.now() + s * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          await fn();
          n++;
        }
      }),
    );
    return n / ((performance.now() - t0) / 1000);
  };
  await rate(webhook, Math.min(1, seconds / 5)); // warm up both paths
  await rate(health, Math.min(1, seconds / 5));
  // alternate the phases so machine noise hits both alike
  const half = seconds / 2;
  const hooks = [await rate(webhook, half / 2), await rate(webhook, half / 2)];
  const checks = [await rate(health, half / 2), await rate(health, half / 2)];
  const hookRate = (hooks[0] + hooks[1]) / 2;
  const healthRate = (checks[0] + checks[1]) / 2;
  console.log(
    `${concurrency} concurrent clients, ${meterCount} NB-IoT meters, ${seconds.toFixed(0)} s measured, ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}`,
  );
  console.log(`CTWing webhook → stored reading  ${hookRate.toFixed(0).padStart(7)} req/s`);
  console.log(`GET /healthz                     ${healthRate.toFixed(0).padStart(7)} req/s`);
  console.log(`ratio webhook ÷ healthz          ${(hookRate / healthRate).toFixed(3).padStart(7)}`);
} finally {
  await platform.stop();
}

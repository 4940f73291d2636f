import { CJT188_TYPES, Cjt188Meter } from '../../../simulators/src/meters/cjt188-meter.ts';
import { reportBytes } from '../../../simulators/src/pushers/device-report.ts';
import { NbiotPusher } from '../../../simulators/src/pushers/nbiot-pusher.ts';
import { ManualClock } from '../../../simulators/src/time/clock.ts';
import { Client } from '../../test/client.ts';

export const CTWING_TOKEN = 'reliability-ctwing-token-01';

/** One simulated NB-IoT water meter (CJ/T 188 over CTWing) with its own clock. */
export interface StreamDevice {
  imei: string;
  clock: ManualClock;
  dev: { imei: string; deviceId: string; source: { kind: 'cjt188'; meter: Cjt188Meter } };
}

/** Logs in as the demo admin, enables transport-nbiot (CTWing token) and archives `n` NB-IoT meters. */
export async function nbiotEstate(baseUrl: string, password: string, n: number, tag: string) {
  const admin = new Client(baseUrl);
  const session = await admin.login('demo', 'admin', password);
  const tenantId = session.tenant.id as string;
  const on = await admin.put('/api/v1/plugins/transport-nbiot/tenant', {
    enabled: true,
    settings: { ctwingToken: CTWING_TOKEN },
  });
  if (on.status !== 200) throw new Error(`enable nbiot: ${on.status} ${JSON.stringify(on.body)}`);
  const areas = await admin.get('/api/v1/areas');
  const list = (areas.body.items ?? areas.body) as { id: string }[];
  const areaId = list[list.length - 1].id;
  const devices: StreamDevice[] = [];
  for (let i = 0; i < n; i++) {
    const imei = `86${tag}${String(i).padStart(13 - tag.length, '0')}`;
    const address = `${tag}${String(i).padStart(14 - tag.length, '0')}`;
    const made = await admin.post('/api/v1/meters', {
      kind: 'meter-water',
      assetNo: `REL-${tag}-${i}`,
      commAddress: address,
      protocol: 'cjt188',
      areaId,
      route: { via: 'nbiot', platform: 'ctwing', deviceId: imei },
    });
    if (made.status !== 201) throw new Error(`meter: ${made.status} ${JSON.stringify(made.body)}`);
    const clock = new ManualClock(Date.parse('2026-11-01T00:00:00Z'));
    const meter = new Cjt188Meter({ type: CJT188_TYPES.coldWater, address, clock, initialVolume: 10 + i });
    devices.push({
      imei,
      clock,
      dev: { imei, deviceId: String(300_000 + i), source: { kind: 'cjt188', meter } },
    });
  }
  const hook = (url: string) => `${url}/hooks/transport-nbiot/ctwing/${tenantId}?token=${CTWING_TOKEN}`;
  return { admin, tenantId, devices, hook };
}

/** One signed CTWing push body of device `d` measured at `at` (the device clock set to it). */
export function pushBody(d: StreamDevice, at: number, url: string): Record<string, unknown> {
  d.clock.set(at);
  const pusher = new NbiotPusher({ url, platform: 'ctwing', devices: [d.dev] });
  return pusher.body(d.dev, reportBytes(d.dev.source, 1), at);
}

/** POSTs a body; the status, or 0 when the connection failed (the server died). */
export async function post(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  } catch {
    return { status: 0, body: null };
  }
}

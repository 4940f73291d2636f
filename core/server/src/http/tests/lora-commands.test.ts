import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMqttBroker } from '../../../../simulators/src/broker/mqtt-broker.ts';
import { CJT188_TYPES, Cjt188Meter } from '../../../../simulators/src/meters/cjt188-meter.ts';
import { LoraPusher } from '../../../../simulators/src/pushers/lora-pusher.ts';
import { systemClock } from '../../../../simulators/src/time/clock.ts';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { meterBody } from './meters-fixtures.ts';

// A class A LoRa water meter through the whole platform: the command outbox hands a valve close to
// transport-lora, which publishes a confirmed ChirpStack downlink; the simulated network server
// sends it after the meter's next uplink, the meter acknowledges (ack event: delivered) and its
// answering report shows the valve closed, which confirms the command.
const DEV_EUI = '70B3D5FFFE00C0DE';
const APP = randomUUID();

let p: TestPlatform;
let admin: Client;
let broker: Awaited<ReturnType<typeof startMqttBroker>>;
let pusher: LoraPusher;
const meter = new Cjt188Meter({
  type: CJT188_TYPES.coldWater,
  address: '00000000000321',
  clock: systemClock,
  initialVolume: 12,
});

beforeAll(async () => {
  broker = await startMqttBroker();
  p = await startTestPlatform({ QUADMETER_PLUGIN_TRANSPORT_LORA: '{"syncSeconds":1}' });
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const on = await admin.put('/api/v1/plugins/transport-lora/tenant', {
    enabled: true,
    settings: { brokerUrl: broker.url, applicationId: APP },
  });
  expect(on.status, JSON.stringify(on.body)).toBe(200);
  pusher = new LoraPusher({
    mqttUrl: broker.url,
    applicationId: APP,
    devices: [{ devEui: DEV_EUI.toLowerCase(), meter }],
  });
  await pusher.start();
});
afterAll(async () => {
  await pusher?.stop();
  await p?.stop();
  await broker?.close();
});

async function until<T>(f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function commandOf(id: string) {
  const r = await admin.get(`/api/v1/commands/${id}`);
  expect(r.status).toBe(200);
  return r.body as {
    status: string;
    platformRef: string | null;
    verified: boolean | null;
    deliveredAt: string | null;
  };
}

describe('a valve command to a class A LoRa meter through the outbox', () => {
  it('is queued at ChirpStack, acknowledged after the next uplink and confirmed by the meter’s report', async () => {
    const areaId = (await admin.get('/api/v1/areas')).body.items[0].id as string;
    const made = await admin.post(
      '/api/v1/meters',
      meterBody(areaId, { commAddress: DEV_EUI, protocol: 'lora', control: 'valve', route: { via: 'lora' } }),
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const meterId = made.body.id as string;
    const installed = await admin.post(`/api/v1/meters/${meterId}/install`, {
      initialReading: '12',
      reason: '新装',
    });
    expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    // the tenant's subscription is up once an uplink of the meter arrives as a reading
    await until(async () => {
      await pusher.uplinkAll();
      const r = await admin.get(`/api/v1/meters/${meterId}/readings`);
      return r.body.items?.length > 0 ? true : undefined;
    });

    const sent = await admin.post(`/api/v1/meters/${meterId}/commands`, {
      action: 'valve-close',
      reason: '欠费关阀',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const id = sent.body.id as string;
    const queued = await until(async () => {
      const c = await commandOf(id);
      return c.platformRef ? c : undefined;
    });
    expect(queued).toMatchObject({ status: 'sent', deliveredAt: null });
    const [down] = await until(async () =>
      pusher.queued(DEV_EUI).length === 1 ? pusher.queued(DEV_EUI) : undefined,
    );
    expect(down).toMatchObject({ id: queued.platformRef, confirmed: true });
    expect(meter.valve).toBe('open');

    await pusher.uplinkAll();
    const done = await until(async () => {
      const c = await commandOf(id);
      return c.status === 'sent' ? undefined : c;
    });
    expect(meter.valve).toBe('closed');
    expect(done).toMatchObject({ status: 'confirmed', verified: true, platformRef: queued.platformRef });
    expect(done.deliveredAt).toEqual(expect.any(String));
  });
});

import { buildOneNetPush } from '@quadmeter/protocols/push/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CJT188_TYPES, Cjt188Meter } from '../../../../simulators/src/meters/cjt188-meter.ts';
import { NbPlatformSim } from '../../../../simulators/src/pushers/nbiot-platform.ts';
import { systemClock } from '../../../../simulators/src/time/clock.ts';
import { type ArchiveWorld, archiveWorld, meterBody } from './meters-fixtures.ts';

// A sleeping NB-IoT water meter through the whole platform: the command outbox hands a valve close
// to transport-nbiot, which queues it at the simulated OneNET; the meter's next uplink delivers it
// (the platform's signed type-7 push marks it delivered) and the uplink after that shows the valve
// closed, which confirms the command.
const IMEI = '861000000000777';
const ADDRESS = '00000000000777';
const TOKEN = 'onenet-commands-token';
const API_KEY = 'onenet-commands-api-key';
const OTHER_TOKEN = 'onenet-other-tenant-token';

let w: ArchiveWorld;
let sim: NbPlatformSim;
const meter = new Cjt188Meter({
  type: CJT188_TYPES.coldWater,
  address: ADDRESS,
  clock: systemClock,
  initialVolume: 30,
});

beforeAll(async () => {
  w = await archiveWorld();
  sim = new NbPlatformSim({
    devices: [{ imei: IMEI, deviceId: '777', source: { kind: 'cjt188', meter } }],
    onenet: {
      apiKey: API_KEY,
      token: TOKEN,
      pushUrl: `${w.p.baseUrl}/hooks/transport-nbiot/onenet/${w.tenantId}`,
    },
  });
  const api = await sim.start();
  const on = await w.admin.put('/api/v1/plugins/transport-nbiot/tenant', {
    enabled: true,
    settings: { onenetToken: TOKEN, onenetApiUrl: api, onenetApiKey: API_KEY },
  });
  expect(on.status).toBe(200);
  const other = await w.other.put('/api/v1/plugins/transport-nbiot/tenant', {
    enabled: true,
    settings: { onenetToken: OTHER_TOKEN },
  });
  expect(other.status).toBe(200);
});
afterAll(async () => {
  await sim?.stop();
  await w?.p.stop();
});

async function commandOf(id: string) {
  const r = await w.admin.get(`/api/v1/commands/${id}`);
  expect(r.status).toBe(200);
  return r.body as {
    status: string;
    platformRef: string | null;
    verified: boolean | null;
    detail: string;
    deliveredAt: string | null;
  };
}

async function until<T>(f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a valve command to a sleeping NB-IoT meter through the outbox', () => {
  it('is queued at the platform, delivered on the next uplink and confirmed by the one after', async () => {
    const areaId = w.area['1号楼'].id;
    const made = await w.admin.post(
      '/api/v1/meters',
      meterBody(areaId, {
        // archived by its link: the IMEI is its address; its CJ/T 188 address is in its frames only
        commAddress: IMEI,
        protocol: 'nbiot',
        control: 'valve',
        route: { via: 'nbiot', platform: 'onenet', deviceId: IMEI },
      }),
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const installed = await w.admin.post(`/api/v1/meters/${made.body.id}/install`, {
      initialReading: '30',
      reason: '新装',
    });
    expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    const sent = await w.admin.post(`/api/v1/meters/${made.body.id}/commands`, {
      action: 'valve-close',
      reason: '欠费关阀',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const id = sent.body.id as string;

    // the outbox hands it to the transport, which queues it at the platform
    const queued = await until(async () => {
      const c = await commandOf(id);
      return c.platformRef ? c : undefined;
    });
    expect(queued).toMatchObject({ status: 'sent', deliveredAt: null });
    expect(sim.commands().map((c) => [c.id, c.status])).toEqual([[queued.platformRef, 'pending']]);
    expect(meter.valve).toBe('open');

    // another tenant, signing with its own token on its own hook, cannot report the command
    const result = {
      type: 7,
      cmd_id: queued.platformRef,
      imei: IMEI,
      dev_id: 777,
      send_status: 5,
      confirm_status: 0,
    };
    const res = await fetch(`${w.p.baseUrl}/hooks/transport-nbiot/onenet/${w.otherTenantId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(buildOneNetPush(result, OTHER_TOKEN, { form: 'classic' })),
    });
    expect(res.status).toBe(200);
    expect(await commandOf(id)).toMatchObject({ status: 'sent', deliveredAt: null });

    // the meter wakes: its report still shows the valve open, then it takes the command (the
    // platform's result push marks it delivered)
    await sim.uplink('onenet', IMEI);
    expect(meter.valve).toBe('closed');
    expect(sim.results.map((r) => r.status)).toEqual([200]);
    const delivered = await commandOf(id);
    expect(delivered).toMatchObject({ status: 'sent', deliveredAt: expect.any(String) });

    // its next report shows the valve closed: confirmed
    await sim.uplink('onenet', IMEI);
    const done = await until(async () => {
      const c = await commandOf(id);
      return c.status === 'sent' ? undefined : c;
    });
    expect(done).toMatchObject({ status: 'confirmed', verified: true, platformRef: queued.platformRef });
  });
});

import { CJT188_TYPES, Cjt188Meter, NbiotPusher, reportBytes, systemClock } from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn } from '../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../test/platform.ts';
import { withTenant } from './db/tenant.ts';
import { demoToken, startDemoNbiot } from './demo-nbiot.ts';
import { createLogger } from './logger.ts';
import { addMeters } from './services/readings/ingest-fixtures.ts';
import { findTenantByCode } from './services/tenants/tenants.ts';

let p: TestPlatform;
let sims: Awaited<ReturnType<typeof startDemoNbiot>>;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await sims?.stop();
  await p?.stop();
});

describe('the demo NB-IoT meters', () => {
  it('push signed OneNET uplinks to the platform’s own webhook with a token kept for the demo tenant', async () => {
    sims = await startDemoNbiot(p.running.platform, p.baseUrl, createLogger('silent'), 3);
    expect(sims).toMatchObject({ devices: 1 });
    const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
    const plugin = (await admin.get('/api/v1/plugins')).body.items.find(
      (x: { id: string }) => x.id === 'transport-nbiot',
    );
    expect(plugin).toMatchObject({ enabled: true, settings: { onenetApiUrl: sims?.apiUrl } });
    expect(sims?.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // the demo estate is off here: no archived NB-IoT meter, and the unknown IMEI waits in the inbox
    const want = ['860000000009001'];
    const end = Date.now() + 15_000;
    let devices: string[] = [];
    while (Date.now() < end) {
      const items: { via: string; deviceId: string }[] = (await admin.get('/api/v1/uplinks?pageSize=200'))
        .body.items;
      devices = [...new Set(items.filter((u) => u.via === 'nbiot').map((u) => u.deviceId))].sort();
      if (devices.length === want.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(devices).toEqual(want);
    // a second start keeps the token and API key it saved (the pushes of the first still verify)
    // and points the OneNET API at its own simulated platform
    const again = await startDemoNbiot(p.running.platform, p.baseUrl, createLogger('silent'), 0);
    await again?.stop();
    const settings = (await admin.get('/api/v1/plugins')).body.items.find(
      (x: { id: string }) => x.id === 'transport-nbiot',
    );
    expect(settings).toEqual({ ...plugin, settings: { ...plugin.settings, onenetApiUrl: again?.apiUrl } });
    expect(again?.apiUrl).not.toBe(sims?.apiUrl);
  });

  it('store a duplicate uplink (the platform pushing the same message again) once', async () => {
    const { db } = p.running.platform;
    const tenant = await findTenantByCode(db, 'demo');
    const tenantId = tenant!.id;
    const [area] = (await withTenant(db, tenantId, (tx) =>
      tx.execute(sql`select id::text as id from areas limit 1`),
    )) as unknown as { id: string }[];
    const imei = '860000000000042';
    const [meterId] = await addMeters(db, { tenantId, areaId: area?.id ?? '' }, [
      {
        kind: 'meter-water',
        protocol: 'nbiot',
        comm: '00000000000042',
        via: 'nbiot',
        line: 'onenet',
        address: imei,
      },
    ]);
    const url = `${p.baseUrl}/hooks/transport-nbiot/onenet/${tenantId}`;
    // the token the demo saved for the tenant signs the pushes
    const token = (await demoToken(p.running.platform))?.token;
    const device = {
      imei,
      deviceId: '100042',
      source: {
        kind: 'cjt188' as const,
        meter: new Cjt188Meter({
          type: CJT188_TYPES.coldWater,
          address: '00000000000042',
          clock: systemClock,
        }),
      },
    };
    const pusher = new NbiotPusher({ url, platform: 'onenet', token, devices: [device] });
    const body = JSON.stringify(pusher.body(device, reportBytes(device.source, 1)));
    const post = async () => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    expect(await post()).toMatchObject({ status: 200, json: { stored: 1 } });
    expect(await post()).toMatchObject({ status: 200, json: { stored: 0 } });
    const rows = (await withTenant(db, tenantId, (tx) =>
      tx.execute(sql`select count(*)::int as n from readings where meter_id = ${meterId}`),
    )) as unknown as { n: number }[];
    expect(rows[0].n).toBe(1);
  });
});

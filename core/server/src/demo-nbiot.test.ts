import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn } from '../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../test/platform.ts';
import { startDemoNbiot } from './demo-nbiot.ts';
import { createLogger } from './logger.ts';

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
    expect(sims).toMatchObject({ devices: 4 });
    const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
    const plugin = (await admin.get('/api/v1/plugins')).body.items.find(
      (x: { id: string }) => x.id === 'transport-nbiot',
    );
    expect(plugin).toMatchObject({ enabled: true });
    // the demo estate is off here: every IMEI is unknown, so the uplinks wait in the inbox
    const want = ['860000000000001', '860000000000002', '860000000000003', '860000000009001'];
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
    // a second start keeps the token it saved (the pushes of the first still verify)
    const again = await startDemoNbiot(p.running.platform, p.baseUrl, createLogger('silent'), 0);
    await again?.stop();
    const settings = (await admin.get('/api/v1/plugins')).body.items.find(
      (x: { id: string }) => x.id === 'transport-nbiot',
    );
    expect(settings).toEqual(plugin);
  });
});

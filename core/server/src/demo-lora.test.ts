import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn } from '../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../test/platform.ts';
import { useDemoBroker } from './demo-lora.ts';
import { startDemoSimulators } from './demo-simulators.ts';
import { createLogger } from './logger.ts';

let p: TestPlatform;
let sims: Awaited<ReturnType<typeof startDemoSimulators>> | undefined;
beforeAll(async () => {
  p = await startTestPlatform({ QUADMETER_PLUGIN_TRANSPORT_LORA: '{"syncSeconds":1}' });
  process.env.QUADMETER_SIM_LORA_INTERVAL = '1';
});
afterAll(async () => {
  delete process.env.QUADMETER_SIM_LORA_INTERVAL;
  await sims?.stop();
  await p?.stop();
});

describe('the demo LoRa meters on the embedded broker', () => {
  it('reach the demo tenant through transport-lora; an unknown device lands in its inbox', async () => {
    sims = await startDemoSimulators(createLogger('silent'), 0);
    expect(await useDemoBroker(p.running.platform, sims.mqttUrl)).toBe(true);
    const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
    const plugin = (await admin.get('/api/v1/plugins')).body.items.find(
      (x: { id: string }) => x.id === 'transport-lora',
    );
    expect(plugin).toMatchObject({
      enabled: true,
      settings: { brokerUrl: sims.mqttUrl, applicationId: 'demo' },
    });
    // the demo estate is off here: every device is unknown, so their uplinks wait in the inbox
    const end = Date.now() + 15_000;
    let devices: string[] = [];
    while (Date.now() < end) {
      const items: { via: string; deviceId: string }[] = (await admin.get('/api/v1/uplinks?pageSize=200'))
        .body.items;
      devices = [...new Set(items.filter((u) => u.via === 'lora').map((u) => u.deviceId))].sort();
      if (devices.length === sims.loraDevices.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(devices).toEqual([...sims.loraDevices].sort());
    // a broker the operator configured is left alone
    await admin.put('/api/v1/plugins/transport-lora/tenant', {
      enabled: true,
      settings: { brokerUrl: 'mqtt://broker.example:1883', applicationId: 'water' },
    });
    expect(await useDemoBroker(p.running.platform, sims.mqttUrl)).toBe(false);
  });
});

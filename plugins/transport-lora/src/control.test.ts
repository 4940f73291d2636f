import { randomUUID } from 'node:crypto';
import type { ControlCommand, ControlResult } from '@quadmeter/sdk';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { CJT188_TYPES, Cjt188Meter, LoraPusher, ManualClock, startMqttBroker } from '@quadmeter/simulators';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import plugin, { subscriptionsOf } from './index.ts';

const DEV = '70b3d5fffe0000c1';
const ADDRESS = '00000000000777';
let broker: Awaited<ReturnType<typeof startMqttBroker>>;
beforeAll(async () => {
  broker = await startMqttBroker();
});
afterAll(async () => broker?.close());
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function until<T>(check: () => T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The plugin subscribed for the test tenant and a class A water meter behind the simulated ChirpStack. */
async function field(o: { deaf?: boolean; brokerUrl?: string; type?: number } = {}) {
  const applicationId = randomUUID();
  const t = makeTestContext({
    pluginId: plugin.id,
    config: { syncSeconds: 3600 },
    tenantSettings: () => ({ brokerUrl: o.brokerUrl ?? broker.url, applicationId }),
  });
  await plugin.start?.(t.ctx);
  cleanups.push(async () => {
    await plugin.stop?.(t.ctx);
    const wipe = await mqtt.connectAsync(broker.url, {
      clientId: `quadmeter-lora-${TEST_TENANT_ID}`,
      clean: true,
    });
    await wipe.endAsync();
  });
  if (!o.brokerUrl) await subscriptionsOf()?.ready();
  const clock = new ManualClock(Date.now());
  const meter = new Cjt188Meter({
    type: o.type ?? CJT188_TYPES.coldWater,
    address: ADDRESS,
    clock,
    initialVolume: 5,
  });
  const pusher = new LoraPusher({
    mqttUrl: broker.url,
    applicationId,
    devices: [{ devEui: DEV, meter, deaf: o.deaf }],
    now: () => clock.now(),
  });
  await pusher.start();
  cleanups.push(() => pusher.stop());
  const valves = () => t.ingested.flat().map((r) => r.registers.valve);
  return { t, pusher, meter, clock, applicationId, valves };
}

function command(over: Partial<ControlCommand> = {}): ControlCommand {
  return {
    id: randomUUID(),
    tenantId: TEST_TENANT_ID,
    meterId: randomUUID(),
    ref: { protocol: 'cjt188', address: ADDRESS },
    route: { via: 'lora', devEui: DEV },
    action: 'valve-close',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...over,
  };
}

const control = (
  c: ControlCommand,
  t: ReturnType<typeof makeTestContext<{ syncSeconds: number }>>,
): Promise<ControlResult> => {
  if (plugin.mode !== 'push' || !plugin.control) throw new Error('push transport with control expected');
  return plugin.control(c, t.ctx);
};

describe('LoRa valve commands through ChirpStack downlinks (class A meter, in-process broker)', () => {
  it('valve close is queued, delivered after the next uplink (ack), and the meter then reports it closed', async () => {
    const { t, pusher, meter, valves } = await field();
    const c = command();
    const r = await control(c, t);
    expect(r).toMatchObject({ commandId: c.id, ok: true, status: 'queued' });
    const ref = (r as { platformRef: string }).platformRef;
    expect(ref).toMatch(/^[0-9a-f-]{36}$/);
    const [queued] = await until(() => pusher.queued(DEV).length === 1 && pusher.queued(DEV));
    expect(queued).toMatchObject({ id: ref, confirmed: true, expiresAt: c.expiresAt });
    expect(meter.valve).toBe('open');

    await pusher.uplinkAll();
    await until(() => t.ingested.flat().length === 2 && t.controlUpdates.length === 1);
    expect(meter.valve).toBe('closed');
    expect(valves()).toEqual(['open', 'closed']);
    expect(t.controlUpdates).toEqual([
      {
        tenantId: TEST_TENANT_ID,
        update: expect.objectContaining({ platformRef: ref, status: 'delivered' }),
      },
    ]);
  });

  it('a gas meter gets the meter type its uplinks carry', async () => {
    const { t, pusher, meter } = await field({ type: CJT188_TYPES.gas });
    await pusher.uplinkAll();
    await until(() => t.ingested.flat().length === 1);
    await control(command(), t);
    await until(() => pusher.queued(DEV).length === 1);
    await pusher.uplinkAll();
    await until(() => t.controlUpdates.length === 1 && t.ingested.flat().length === 3);
    expect(t.controlUpdates[0].update.status).toBe('delivered');
    expect(meter.valve).toBe('closed');
    expect(t.ingested.flat().at(-1)?.registers).toMatchObject({ valve: 'closed' });
  });

  it('an ack the core fails to take holds back no uplink: the report behind it is ingested', async () => {
    const { t, pusher, valves } = await field();
    t.ctx.core.controlUpdate = async () => {
      throw new Error('database gone');
    };
    await control(command(), t);
    await until(() => pusher.queued(DEV).length === 1);
    await pusher.uplinkAll();
    await until(() => t.ingested.flat().length === 2);
    expect(valves()).toEqual(['open', 'closed']);
    expect(t.logs.some((l) => l.msg === 'LoRa ack not reported')).toBe(true);
  });

  it('a replayed ack and an ack of another application change nothing', async () => {
    const { t, pusher, applicationId } = await field();
    await control(command(), t);
    await until(() => pusher.queued(DEV).length === 1);
    const spy = await mqtt.connectAsync(broker.url);
    cleanups.push(() => spy.endAsync());
    const acks: { topic: string; text: string }[] = [];
    spy.on('message', (topic, p) => acks.push({ topic, text: p.toString('utf8') }));
    await spy.subscribeAsync(`application/${applicationId}/device/+/event/ack`, { qos: 1 });
    await pusher.uplinkAll();
    await until(() => t.controlUpdates.length === 1 && acks.length === 1);
    const body = JSON.parse(acks[0].text);
    await spy.publishAsync(acks[0].topic, acks[0].text, { qos: 1 });
    const other = {
      ...body,
      deviceInfo: { ...body.deviceInfo, applicationId: randomUUID() },
      queueItemId: randomUUID(),
    };
    await spy.publishAsync(acks[0].topic, JSON.stringify(other), { qos: 1 });
    // a later uplink is handled after both (one subscription handles its messages in order)
    await pusher.uplinkAll();
    await until(() => t.ingested.flat().length === 3);
    expect(t.controlUpdates).toHaveLength(1);
  });

  it('a device that never acknowledges: failed, retryable; the valve stays open', async () => {
    const { t, pusher, meter, valves } = await field({ deaf: true });
    const r = await control(command(), t);
    await until(() => pusher.queued(DEV).length === 1);
    await pusher.uplinkAll();
    await until(() => t.controlUpdates.length === 1);
    expect(t.controlUpdates[0].update).toMatchObject({
      platformRef: (r as { platformRef: string }).platformRef,
      status: 'failed',
      error: { code: 'LORA_DOWNLINK_NOT_ACKED', retryable: true },
    });
    await pusher.uplinkAll();
    await until(() => t.ingested.flat().length === 2);
    expect(meter.valve).toBe('open');
    expect(valves()).toEqual(['open', 'open']);
  });

  it('an expired downlink is never delivered', async () => {
    const { t, pusher, meter, clock, valves } = await field();
    await control(command({ expiresAt: new Date(Date.now() + 60_000).toISOString() }), t);
    await until(() => pusher.queued(DEV).length === 1);
    clock.advance(120_000);
    await pusher.uplinkAll();
    await pusher.uplinkAll();
    await until(() => t.ingested.flat().length === 2);
    expect(pusher.queued(DEV)).toEqual([]);
    expect(meter.valve).toBe('open');
    expect(valves()).toEqual(['open', 'open']);
    expect(t.controlUpdates).toEqual([]);
  });

  it('refuses with stable codes; a broker it is not connected to is retryable', async () => {
    const { t } = await field();
    const cases: [Partial<ControlCommand>, string][] = [
      [{ action: 'relay-trip' }, 'ACTION_UNSUPPORTED'],
      [{ ref: { protocol: 'dlt645-2007', address: '000000000777' } }, 'ACTION_UNSUPPORTED'],
      [{ ref: { protocol: 'cjt188', address: 'xyz' } }, 'LORA_ADDRESS_INVALID'],
      [{ route: { via: 'nbiot', deviceId: '860000000000001' } }, 'LORA_ROUTE_MISSING'],
      [{ expiresAt: new Date(Date.now() - 1).toISOString() }, 'COMMAND_EXPIRED'],
      [{ tenantId: '00000000-0000-4000-8000-000000000009' }, 'LORA_NOT_CONFIGURED'],
    ];
    for (const [over, code] of cases)
      expect(await control(command(over), t)).toMatchObject({ ok: false, error: { code, retryable: false } });
    await plugin.stop?.(t.ctx);
    const down = await field({ brokerUrl: 'mqtt://127.0.0.1:1' });
    expect(await control(command(), down.t)).toMatchObject({
      ok: false,
      error: { code: 'LORA_BROKER_UNAVAILABLE', retryable: true },
    });
  });
});

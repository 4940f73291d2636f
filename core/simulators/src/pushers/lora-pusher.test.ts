import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import * as cjt188 from '../../../protocols/src/cjt188/index.ts';
import { hexToBytes } from '../../../protocols/src/common/bytes.ts';
import * as push from '../../../protocols/src/push/index.ts';
import { CJT188_TYPES, Cjt188Meter } from '../meters/cjt188-meter.ts';
import { systemClock } from '../time/clock.ts';
import { LoraPusher } from './lora-pusher.ts';

const BROKER = 'mqtt://127.0.0.1:1883';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function waitFor<T>(pred: () => T | undefined, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = (): void => {
      const v = pred();
      if (v !== undefined) resolve(v);
      else if (Date.now() - t0 > ms) reject(new Error('timed out'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe('LoraPusher against the local Mosquitto', () => {
  it('publishes join, status and up events and applies a valve downlink after the next uplink (class A)', async () => {
    const prefix = `qm-test-${randomUUID().slice(0, 8)}/`;
    const appId = randomUUID();
    const devEui = '70b3d5fffe000001';
    const meter = new Cjt188Meter({
      type: CJT188_TYPES.coldWater,
      address: '00000000000901',
      clock: systemClock,
      initialVolume: 12.34,
    });

    const sub = await mqtt.connectAsync(BROKER);
    cleanups.push(() => sub.endAsync());
    const seen: { topic: string; body: Record<string, unknown> }[] = [];
    sub.on('message', (topic, payload) => seen.push({ topic, body: JSON.parse(payload.toString('utf8')) }));
    await sub.subscribeAsync(`${prefix}application/${appId}/#`, { qos: 1 });

    const pusher = new LoraPusher({
      mqttUrl: BROKER,
      applicationId: appId,
      devices: [{ devEui, meter }],
      topicPrefix: prefix,
    });
    cleanups.push(() => pusher.stop());
    await pusher.start();
    await pusher.uplinkAll();

    const up = await waitFor(() => seen.find((m) => m.topic.endsWith('/event/up')));
    expect(up.topic).toBe(`${prefix}application/${appId}/device/${devEui}/event/up`);
    const ev = push.parseChirpstack(up.body, 'up');
    expect(ev.devEui).toBe(devEui);
    const frame = cjt188.decode(hexToBytes(ev.bytes ?? ''));
    expect(frame.data.current_cumulative).toBe(12.34);
    expect(seen.some((m) => m.topic.endsWith('/event/join'))).toBe(true);
    expect(seen.some((m) => m.topic.endsWith('/event/status'))).toBe(true);

    const down = push.buildChirpstackDownlink({
      applicationId: appId,
      devEui,
      fPort: 10,
      confirmed: true,
      id: randomUUID(),
      bytes: cjt188.buildValveControl(CJT188_TYPES.coldWater, '00000000000901', 'close', 5),
    });
    await sub.publishAsync(`${prefix}${down.topic}`, down.json, { qos: 1 });
    // class A: queued until the meter's next uplink, nothing reaches the meter before
    await waitFor(() => (pusher.queued(devEui).length === 1 ? true : undefined));
    expect(meter.valve).toBe('open');
    expect(seen.some((m) => /\/event\/(tx)?ack$/.test(m.topic))).toBe(false);

    await pusher.uplinkAll();
    const ups = await waitFor(() => {
      const list = seen.filter((m) => m.topic.endsWith('/event/up'));
      return list.length >= 3 ? list : undefined;
    });
    expect(meter.valve).toBe('closed');
    const valveOf = (m: { body: Record<string, unknown> }) =>
      (
        cjt188.decode(hexToBytes(push.parseChirpstack(m.body, 'up').bytes ?? '')).data.status as {
          valve: string;
        }
      ).valve;
    // the uplink that opened the window still reports open; the meter's answer reports closed
    expect(ups.map(valveOf)).toEqual(['open', 'open', 'closed']);
    const after = seen.slice(seen.indexOf(ups[1]) + 1).map((m) => m.topic.split('/').at(-1));
    expect(after).toEqual(['txack', 'ack', 'up']);
    const ack = seen.find((m) => m.topic.endsWith('/event/ack'));
    expect(ack?.body).toMatchObject({ queueItemId: down.payload.id, acknowledged: true });
    expect(pusher.queued(devEui)).toEqual([]);
  });
});

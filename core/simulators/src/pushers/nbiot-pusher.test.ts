import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as cjt188 from '../../../protocols/src/cjt188/index.ts';
import { hexToBytes } from '../../../protocols/src/common/bytes.ts';
import * as dlt645 from '../../../protocols/src/dlt645/index.ts';
import * as push from '../../../protocols/src/push/index.ts';
import { CJT188_TYPES, Cjt188Meter } from '../meters/cjt188-meter.ts';
import { ElectricityMeter } from '../meters/electricity-meter.ts';
import { ManualClock } from '../time/clock.ts';
import { fromWallTime } from '../time/wall-time.ts';
import { NbiotPusher } from './nbiot-pusher.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

interface Received {
  path: string;
  text: string;
}

async function receiver(status = 200): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString('utf8')));
    req.on('end', () => {
      got.push({ path: req.url ?? '', text });
      res.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hooks/transport-nbiot/onenet`, got };
}

const clock = new ManualClock(fromWallTime({ year: 2026, month: 5, day: 4, hour: 10 }));
const water = new Cjt188Meter({
  type: CJT188_TYPES.coldWater,
  address: '00000000000501',
  clock,
  initialVolume: 88.5,
});
const power = new ElectricityMeter({ address: '000000000777', clock, initialEnergy: 400 });

describe('NbiotPusher', () => {
  it('POSTs OneNET pushes whose signature verifies with the token and carry the CJ/T 188 frame', async () => {
    const { url, got } = await receiver();
    const p = new NbiotPusher({
      url,
      platform: 'onenet',
      token: 'T0ken-For-Test',
      devices: [{ imei: '860000000000501', deviceId: '501', source: { kind: 'cjt188', meter: water } }],
    });
    const results = await p.pushOnce();
    expect(results[0].status).toBe(200);
    expect(got).toHaveLength(1);
    const env = push.verifyOneNetPush(got[0].text, 'T0ken-For-Test');
    const msg = env.msg as { value: string; imei: string };
    expect(msg.imei).toBe('860000000000501');
    const frame = cjt188.decode(hexToBytes(msg.value));
    expect(frame.address).toBe('00000000000501');
    expect(frame.data.current_cumulative).toBe(88.5);
    expect(() => push.verifyOneNetPush(got[0].text, 'wrong-token')).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_SIGNATURE_INVALID' }),
    );
    const events = push.parseOneNet(got[0].text, 'T0ken-For-Test');
    expect(events[0].kind).toBe('properties');
  });

  it('POSTs CTWing and IoTDA bodies the push parsers read back to the DL/T 645 frame', async () => {
    const { url, got } = await receiver();
    for (const platform of ['ctwing', 'iotda'] as const) {
      const p = new NbiotPusher({
        url,
        platform,
        devices: [{ imei: '860000000000777', deviceId: 'dev-777', source: { kind: 'dlt645', meter: power } }],
      });
      await p.pushOnce();
    }
    const ct = push.parseCtwing(JSON.parse(got[0].text));
    const io = push.parseIotda(JSON.parse(got[1].text));
    for (const ev of [ct, io]) {
      const f = dlt645.decodeFrame(hexToBytes(ev.bytes ?? ''));
      expect(f.address).toBe('000000000777');
      expect(f.values?.total).toBe(400);
    }
  });

  it('reports HTTP failures instead of throwing', async () => {
    const { url } = await receiver(503);
    const p = new NbiotPusher({
      url,
      platform: 'ctwing',
      devices: [{ imei: '1', deviceId: 'd', source: { kind: 'cjt188', meter: water } }],
    });
    expect((await p.pushOnce())[0].status).toBe(503);
    const dead = new NbiotPusher({
      url: 'http://127.0.0.1:1/x',
      platform: 'ctwing',
      devices: [{ imei: '1', deviceId: 'd', source: { kind: 'cjt188', meter: water } }],
    });
    const r = await dead.pushOnce();
    expect(r[0].status).toBe(0);
    expect(r[0].error).toBeTruthy();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ctwingSignature } from '../../../protocols/src/push/ctwing-sign.ts';
import { CJT188_TYPES, Cjt188Meter } from '../meters/cjt188-meter.ts';
import { ManualClock } from '../time/clock.ts';
import { NbPlatformSim } from './nbiot-platform.ts';

const clock = new ManualClock(Date.parse('2026-11-30T04:00:00Z'));
const meter = new Cjt188Meter({ type: CJT188_TYPES.coldWater, address: '00000000000501', clock });
const CT = {
  appKey: 'k',
  appSecret: 's',
  masterKey: 'm',
  productId: '15000001',
  pushUrl: 'http://127.0.0.1:1/x',
};
const sims: NbPlatformSim[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.stop();
});

async function platform() {
  const sim = new NbPlatformSim({
    devices: [{ imei: '860000000000501', deviceId: '501', source: { kind: 'cjt188', meter } }],
    onenet: { apiKey: 'api-key', token: 't', pushUrl: 'http://127.0.0.1:1/x' },
    ctwing: CT,
    now: () => clock.now(),
  });
  sims.push(sim);
  return { sim, url: await sim.start() };
}

async function post(url: string, headers: Record<string, string>, body: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, json: await res.json() };
}

const write = JSON.stringify({ data: [{ res_id: 5750, type: 1, val: '68AA' }] });

describe('NbPlatformSim command APIs refuse what the platforms refuse', () => {
  it('OneNET: api-key, device, expiry and body are checked; a good call is cached', async () => {
    const { sim, url } = await platform();
    const q = (imei: string, expired: string) =>
      `${url}/nbiot/offline?imei=${imei}&obj_id=3200&obj_inst_id=0&mode=1&expired_time=${expired}`;
    // 12:00 China time is 04:00Z: not after the platform's now
    expect(
      await post(q('860000000000501', '2026-11-30T13:00:00'), { 'api-key': 'wrong' }, write),
    ).toMatchObject({
      status: 403,
      json: { errno: 2 },
    });
    expect(
      await post(q('860000000000999', '2026-11-30T13:00:00'), { 'api-key': 'api-key' }, write),
    ).toMatchObject({
      json: { errno: 10 },
    });
    expect(
      await post(q('860000000000501', '2026-11-30T12:00:00'), { 'api-key': 'api-key' }, write),
    ).toMatchObject({
      json: { errno: 6 },
    });
    expect(
      await post(q('860000000000501', '2026-11-30T13:00:00'), { 'api-key': 'api-key' }, '{"data":[]}'),
    ).toMatchObject({
      json: { errno: 6 },
    });
    const ok = await post(q('860000000000501', '2026-11-30T13:00:00'), { 'api-key': 'api-key' }, write);
    expect(ok).toMatchObject({
      status: 200,
      json: { errno: 0, error: 'succ', data: { uuid: sim.commands()[0].id } },
    });
    expect(sim.commands()[0]).toMatchObject({
      status: 'pending',
      expiresAt: Date.parse('2026-11-30T05:00:00Z'),
    });
  });

  it('CTWing: the HMAC-SHA1 signature covers the body and the MasterKey', async () => {
    const { sim, url } = await platform();
    const body = JSON.stringify({
      productId: 15000001,
      deviceId: '15000001860000000000501',
      operator: 'test',
      ttl: 60,
      content: { dataType: 2, payload: '68AA' },
    });
    const headers = (b: string, secret = CT.appSecret) => {
      const timestamp = String(clock.now());
      return {
        application: CT.appKey,
        timestamp,
        version: '20190712225145',
        MasterKey: CT.masterKey,
        signature: ctwingSignature({
          appKey: CT.appKey,
          appSecret: secret,
          timestamp,
          params: { MasterKey: CT.masterKey },
          body: b,
        }),
      };
    };
    const api = `${url}/aep_device_command/command`;
    expect((await post(api, headers(body, 'other-secret'), body)).status).toBe(403);
    // signed for one body, sent with another
    expect((await post(api, headers(body), body.replace('"ttl":60', '"ttl":61'))).status).toBe(403);
    expect((await post(api, { ...headers(body), version: '1' }, body)).status).toBe(400);
    const ok = await post(api, headers(body), body);
    expect(ok).toMatchObject({ status: 200, json: { code: 0, result: { commandId: sim.commands()[0].id } } });
    expect(sim.commands()[0].expiresAt).toBe(clock.now() + 60_000);
  });

  it('answers the next calls with the outage status it was told', async () => {
    const { sim, url } = await platform();
    sim.failNext(503, 2);
    for (let i = 0; i < 2; i++) expect((await post(`${url}/nbiot/offline`, {}, write)).status).toBe(503);
    expect((await post(`${url}/nbiot/offline`, {}, write)).status).toBe(403);
  });
});

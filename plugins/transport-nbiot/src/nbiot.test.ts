import { buildCtwingPush, buildOneNetPush, buildOneNetUrlCheck } from '@quadmeter/protocols/push/index.ts';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import plugin from './index.ts';
import { call, fixture, ONENET_TOKEN, settings, TOKEN } from './test-support.ts';

const open = (s: unknown = settings, enabledTenants?: string[]) =>
  makeTestContext({ pluginId: plugin.id, config: {}, tenantSettings: () => s, enabledTenants });

describe('NB-IoT platform pushes (fixtures as the platforms send them)', () => {
  for (const platform of ['ctwing', 'onenet', 'iotda'] as const) {
    it(`${platform}: the meter frame becomes one reading routed by IMEI, keyed by the message`, async () => {
      const t = open();
      const res = await call(t.ctx, {
        platform,
        query: { token: TOKEN },
        body: fixture(`${platform}-uplink.json`),
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ code: 'OK', stored: 1 });
      expect(t.ingested.length).toBe(1);
      const [r] = t.ingested[0];
      expect(r).toMatchObject({
        route: { via: 'nbiot', deviceId: '860000000000001', platform },
        kind: 'realtime',
        measuredAt: '2026-11-25T00:00:00.000Z',
        registers: { totalVolume: '12.5', valve: 'open' },
        status: { word: 0, protocol: 'cjt188' },
        raw: '68100100000000000081161F9001501200002C501200002C0000082511262000006016',
        tenantId: TEST_TENANT_ID,
      });
      // the replay of the same message carries the same key
      await call(t.ctx, { platform, query: { token: TOKEN }, body: fixture(`${platform}-uplink.json`) });
      expect(t.ingested[1][0].idempotencyKey).toBe(r.idempotencyKey);
    });
  }

  it('routes by the platform device id when the tenant says so', async () => {
    const t = open({ ...settings, ctwingDeviceId: 'platform' });
    await call(t.ctx, { platform: 'ctwing', query: { token: TOKEN }, body: fixture('ctwing-uplink.json') });
    expect(t.ingested[0][0].route).toEqual({ via: 'nbiot', deviceId: '100001', platform: 'ctwing' });
  });

  it('reads a DL/T 645 energy report', async () => {
    const t = open();
    const body = buildCtwingPush({
      messageType: 'dataReport',
      deviceId: 'd1',
      productId: 'p',
      tenantId: 't',
      imei: '860000000000009',
      timestamp: Date.parse('2026-11-25T00:00:00Z'),
      // 68 A0..A5 68 91 L 00FF0100 + total,T1..T4 (XXXXXX.XX) CS 16, built by the DL/T 645 codec
      bytes: (await import('@quadmeter/protocols/dlt645/index.ts')).buildReadReply(
        '000000000009',
        '0001FF00',
        [1234.56, 100, 200, 300, 634.56],
      ),
    });
    const res = await call(t.ctx, {
      platform: 'ctwing',
      query: { token: TOKEN },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(t.ingested[0][0].registers).toEqual({
      activeImportTotal: '1234.56',
      activeImportT1: '100',
      activeImportT2: '200',
      activeImportT3: '300',
      activeImportT4: '634.56',
    });
  });
});

describe('authentication', () => {
  it('a forged OneNET signature is 401 NBIOT_AUTH_FAILED and nothing is ingested', async () => {
    const t = open();
    const forged = JSON.parse(fixture('onenet-uplink.json'));
    forged.msg.value = forged.msg.value.replace('5012', '9912');
    const res = await call(t.ctx, { platform: 'onenet', body: JSON.stringify(forged) });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'NBIOT_AUTH_FAILED' });
    const otherToken = buildOneNetPush(JSON.parse(fixture('onenet-uplink.json')).msg, 'not-the-token', {
      form: 'classic',
    });
    expect((await call(t.ctx, { platform: 'onenet', body: JSON.stringify(otherToken) })).status).toBe(401);
    expect(t.ingested).toEqual([]);
  });

  it('CTWing and IoTDA need the tenant token in the URL', async () => {
    const t = open();
    for (const platform of ['ctwing', 'iotda']) {
      const queries: Record<string, string>[] = [
        {},
        { token: 'wrong' },
        { token: `${TOKEN}x` },
        { token: '' },
      ];
      for (const query of queries) {
        const res = await call(t.ctx, { platform, query, body: fixture(`${platform}-uplink.json`) });
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ code: 'NBIOT_AUTH_FAILED' });
      }
    }
    expect(t.ingested).toEqual([]);
  });

  it('an unknown tenant, a tenant that did not enable the plugin, or an empty token is refused', async () => {
    const other = '00000000-0000-4000-8000-000000000002';
    for (const [t, tenantId] of [
      [open(), other],
      [open(), 'not-a-uuid'],
      [open(settings, [other]), TEST_TENANT_ID],
      [open({}), TEST_TENANT_ID],
    ] as const) {
      const res = await call(t.ctx, {
        platform: 'ctwing',
        tenantId,
        query: { token: '' },
        body: fixture('ctwing-uplink.json'),
      });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ code: 'NBIOT_AUTH_FAILED' });
      expect(t.ingested).toEqual([]);
    }
  });

  it("answers OneNET's URL verification with the msg only when signed with the tenant token", async () => {
    const t = open();
    const q = buildOneNetUrlCheck(ONENET_TOKEN, 'verify-Msg_42', 'n0nce123');
    const ok = await call(t.ctx, { method: 'GET', platform: 'onenet', query: q });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('verify-Msg_42');
    const bad = await call(t.ctx, { method: 'GET', platform: 'onenet', query: { ...q, msg: 'other' } });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ code: 'NBIOT_AUTH_FAILED' });
  });
});

describe('malformed pushes', () => {
  it('answer 400 NBIOT_PAYLOAD_INVALID and ingest nothing', async () => {
    const t = open();
    const bodies: (string | Uint8Array)[] = [
      '',
      'not json',
      '[]',
      '{}',
      '{"messageType":"dataReport"}',
      JSON.stringify({ ...JSON.parse(fixture('ctwing-uplink.json')), timestamp: 'yesterday' }),
      JSON.stringify({ ...JSON.parse(fixture('ctwing-uplink.json')), payload: { APPdata: '@@@' } }),
      Uint8Array.of(0xff, 0xfe, 0x00),
    ];
    for (const body of bodies) {
      const res = await call(t.ctx, { platform: 'ctwing', query: { token: TOKEN }, body });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'NBIOT_PAYLOAD_INVALID' });
    }
    expect(t.ingested).toEqual([]);
  });

  it('bytes that are no meter report answer 400 NBIOT_FRAME_UNREADABLE', async () => {
    const t = open();
    const body = buildCtwingPush({
      messageType: 'dataReport',
      deviceId: 'd1',
      productId: 'p',
      tenantId: 't',
      imei: '860000000000009',
      bytes: '0102030405',
    });
    const res = await call(t.ctx, {
      platform: 'ctwing',
      query: { token: TOKEN },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'NBIOT_FRAME_UNREADABLE' });
    expect(t.ingested).toEqual([]);
  });

  it('online/offline notices are acknowledged and ignored', async () => {
    const t = open();
    const body = buildCtwingPush({
      messageType: 'deviceOnlineOfflineReport',
      deviceId: 'd1',
      productId: 'p',
      tenantId: 't',
      online: true,
    });
    const res = await call(t.ctx, {
      platform: 'ctwing',
      query: { token: TOKEN },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ code: 'IGNORED', ignored: 1 });
    expect(t.ingested).toEqual([]);
  });
});

describe('under load', () => {
  it('gathers concurrent pushes into fewer ingest calls, each push answered with its own outcome', async () => {
    const t = open();
    const calls: number[] = [];
    const inner = t.ctx.core.ingestReadings.bind(t.ctx.core);
    let settingsReads = 0;
    const innerSettings = t.ctx.core.tenantSettings.bind(t.ctx.core);
    t.ctx.core.tenantSettings = async (id) => {
      settingsReads++;
      return innerSettings(id);
    };
    t.ctx.core.ingestReadings = async (readings) => {
      calls.push(readings.length);
      await new Promise((r) => setTimeout(r, 30));
      return inner(readings);
    };
    const bodies = Array.from({ length: 8 }, (_, i) => {
      const b = JSON.parse(fixture('ctwing-uplink.json'));
      b.timestamp += i * 1000;
      return JSON.stringify(b);
    });
    const answers = await Promise.all(
      bodies.map((body) => call(t.ctx, { platform: 'ctwing', query: { token: TOKEN }, body })),
    );
    for (const a of answers) expect(a.json).toMatchObject({ code: 'OK', stored: 1 });
    expect(calls.reduce((a, b) => a + b, 0)).toBe(8);
    expect(calls.length).toBeLessThan(8);
    expect(new Set(t.ingested.flat().map((r) => r.idempotencyKey)).size).toBe(8);
    // the tenant's settings were read once for all eight
    expect(settingsReads).toBe(1);
  });
});

import { randomUUID } from 'node:crypto';
import type { ControlCommand, ControlResult } from '@quadmeter/sdk';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { CJT188_TYPES, Cjt188Meter, ManualClock, NbPlatformSim } from '@quadmeter/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from './index.ts';
import { call, ONENET_TOKEN, serveHooks, settings, TOKEN } from './test-support.ts';

const IMEI = '860000000000501';
const ADDRESS = '00000000000501';
const CT = {
  appKey: 'ct-app-key',
  appSecret: 'ct-app-secret',
  masterKey: 'ct-master-key',
  productId: '15000001',
};
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** The plugin (hooks served over HTTP) and a simulated platform with one sleeping water meter. */
async function field(over: Record<string, unknown> = {}, type: number = CJT188_TYPES.coldWater) {
  // the platform's clock starts at the plugin's (the wall clock) and is moved by the tests
  const clock = new ManualClock(Date.now());
  const meter = new Cjt188Meter({ type, address: ADDRESS, clock, initialVolume: 42.5 });
  let tenantSettings: Record<string, unknown> = {};
  const t = makeTestContext({ pluginId: plugin.id, config: {}, tenantSettings: () => tenantSettings });
  const hooks = await serveHooks(t.ctx);
  cleanups.push(() => hooks.close());
  const sim = new NbPlatformSim({
    devices: [{ imei: IMEI, deviceId: '501', source: { kind: 'cjt188', meter } }],
    onenet: {
      apiKey: 'onenet-api-key',
      token: ONENET_TOKEN,
      pushUrl: `${hooks.url}/onenet/${TEST_TENANT_ID}`,
    },
    ctwing: { ...CT, pushUrl: `${hooks.url}/ctwing/${TEST_TENANT_ID}?token=${TOKEN}` },
    iotda: {
      projectId: 'proj-1',
      authToken: 'iam-token',
      pushUrl: `${hooks.url}/iotda/${TEST_TENANT_ID}?token=${TOKEN}`,
    },
    now: () => clock.now(),
  });
  const api = await sim.start();
  cleanups.push(() => sim.stop());
  tenantSettings = {
    ...settings,
    onenetApiUrl: api,
    onenetApiKey: 'onenet-api-key',
    ctwingApiUrl: api,
    ctwingAppKey: CT.appKey,
    ctwingAppSecret: CT.appSecret,
    ctwingMasterKey: CT.masterKey,
    ctwingProductId: CT.productId,
    iotdaApiUrl: `${api}/`,
    iotdaProjectId: 'proj-1',
    iotdaAuthToken: 'iam-token',
    iotdaDeviceId: 'platform',
    ...over,
  };
  const lastValve = () => t.ingested.flat().at(-1)?.registers.valve;
  return { t, sim, meter, clock, lastValve };
}

function command(
  platform: 'onenet' | 'ctwing' | 'iotda',
  over: Partial<ControlCommand> = {},
): ControlCommand {
  return {
    id: randomUUID(),
    tenantId: TEST_TENANT_ID,
    meterId: randomUUID(),
    ref: { protocol: 'cjt188', address: ADDRESS },
    route: { via: 'nbiot', deviceId: platform === 'iotda' ? '501' : IMEI, platform },
    action: 'valve-close',
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    attempt: 1,
    ...over,
  };
}

const control = (
  c: ControlCommand,
  ctx: ReturnType<typeof makeTestContext>['ctx'],
): Promise<ControlResult> => {
  if (plugin.mode !== 'push' || !plugin.control) throw new Error('push transport with control expected');
  return plugin.control(c, ctx);
};

describe('NB-IoT valve commands for sleeping meters, through the simulated platforms', () => {
  for (const platform of ['onenet', 'ctwing', 'iotda'] as const) {
    it(`${platform}: valve close is queued, delivered on the next uplink, and the uplink after shows it closed`, async () => {
      const { t, sim, meter, lastValve } = await field();
      const c = command(platform);
      const r = await control(c, t.ctx);
      const [cached] = sim.commands();
      expect(r).toEqual({
        commandId: c.id,
        ok: true,
        status: 'queued',
        platformRef: cached.id,
        detail: `queued at ${platform} until the meter's next uplink`,
      });
      expect(cached).toMatchObject({ platform, status: 'pending' });
      // the meter sleeps: nothing reaches it until it reports
      expect(meter.valve).toBe('open');
      expect(t.controlUpdates).toEqual([]);

      await sim.uplink(platform, IMEI);
      // that report was taken before the command arrived; the command then reached the meter
      expect(lastValve()).toBe('open');
      expect(meter.valve).toBe('closed');
      expect(cached.status).toBe('delivered');
      expect(sim.results.map((x) => x.status)).toEqual([200]);
      expect(t.controlUpdates).toEqual([
        {
          tenantId: TEST_TENANT_ID,
          update: expect.objectContaining({ platformRef: cached.id, status: 'delivered' }),
        },
      ]);

      await sim.uplink(platform, IMEI);
      expect(lastValve()).toBe('closed');
      expect(t.ingested.flat().map((x) => x.route)).toEqual([
        { via: 'nbiot', deviceId: platform === 'iotda' ? '501' : IMEI, platform },
        { via: 'nbiot', deviceId: platform === 'iotda' ? '501' : IMEI, platform },
      ]);
    });
  }

  it('a gas meter gets the meter type its uplinks carry', async () => {
    const { t, sim, meter, lastValve } = await field({}, CJT188_TYPES.gas);
    await sim.uplink('onenet', IMEI);
    await control(command('onenet'), t.ctx);
    await sim.uplink('onenet', IMEI);
    expect(t.controlUpdates.map((u) => u.update.status)).toEqual(['delivered']);
    expect(meter.valve).toBe('closed');
    await sim.uplink('onenet', IMEI);
    expect(lastValve()).toBe('closed');
    expect(t.ingested.flat().at(-1)?.registers).toHaveProperty('standardVolume');
  });

  it('an expired command is never delivered: the platform reports it expired, the valve stays open', async () => {
    for (const platform of ['onenet', 'ctwing'] as const) {
      const { t, sim, meter, clock, lastValve } = await field();
      const c = command(platform, { expiresAt: new Date(clock.now() + 60_000).toISOString() });
      expect(await control(c, t.ctx)).toMatchObject({ ok: true, status: 'queued' });
      clock.advance(120_000);
      await sim.uplink(platform, IMEI);
      await sim.uplink(platform, IMEI);
      expect(sim.commands()[0].status).toBe('expired');
      expect(meter.valve).toBe('open');
      expect(lastValve()).toBe('open');
      expect(t.controlUpdates.map((u) => [u.update.status, u.update.error?.code])).toEqual([
        ['failed', 'NBIOT_COMMAND_EXPIRED'],
      ]);
    }
  });

  it('a command already past its expiry is refused before it reaches the platform', async () => {
    const { t, sim } = await field();
    const r = await control(
      command('onenet', { expiresAt: new Date(Date.now() - 1000).toISOString() }),
      t.ctx,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'COMMAND_EXPIRED', retryable: false } });
    expect(sim.commands()).toEqual([]);
  });

  it('forged and replayed result pushes change nothing', async () => {
    const { t, sim } = await field();
    await control(command('onenet'), t.ctx);
    await control(command('ctwing'), t.ctx);
    await sim.uplink('onenet', IMEI);
    await sim.uplink('ctwing', IMEI);
    expect(t.controlUpdates).toHaveLength(2);
    const [onenetResult, ctwingResult] = sim.results;

    // a replay of the very same signed push: answered, not reported again
    const again = await call(t.ctx, { platform: 'onenet', body: JSON.stringify(onenetResult.body) });
    expect(again).toMatchObject({ status: 200, json: { code: 'OK', commandResults: 0, duplicate: 1 } });
    const ctAgain = await call(t.ctx, {
      platform: 'ctwing',
      query: { token: TOKEN },
      body: JSON.stringify(ctwingResult.body),
    });
    expect(ctAgain).toMatchObject({ status: 200, json: { code: 'OK', commandResults: 0, duplicate: 1 } });

    // OneNET: the signed msg altered to name another command and outcome
    const forged = structuredClone(onenetResult.body) as { msg: Record<string, unknown> };
    forged.msg.cmd_id = randomUUID();
    forged.msg.send_status = 6;
    const f1 = await call(t.ctx, { platform: 'onenet', body: JSON.stringify(forged) });
    expect(f1).toMatchObject({ status: 401, json: { code: 'NBIOT_AUTH_FAILED' } });
    // CTWing: a failure report without the tenant's token, and with a wrong one
    const ctForged = { ...ctwingResult.body, result: { resultCode: 'FAILED', resultDetail: '' } };
    for (const query of [{}, { token: 'not-the-token' }] as Record<string, string>[]) {
      const f2 = await call(t.ctx, { platform: 'ctwing', query, body: JSON.stringify(ctForged) });
      expect(f2).toMatchObject({ status: 401, json: { code: 'NBIOT_AUTH_FAILED' } });
    }
    // another tenant's hook path with this tenant's token
    const f3 = await call(t.ctx, {
      platform: 'ctwing',
      tenantId: '00000000-0000-4000-8000-000000000002',
      query: { token: TOKEN },
      body: JSON.stringify(ctForged),
    });
    expect(f3).toMatchObject({ status: 401, json: { code: 'NBIOT_AUTH_FAILED' } });
    expect(t.controlUpdates).toHaveLength(2);
  });

  it('platform failures: 5xx and an unreachable API are retryable, refused credentials are not', async () => {
    const { t, sim } = await field();
    sim.failNext(503);
    expect(await control(command('onenet'), t.ctx)).toMatchObject({
      ok: false,
      error: { code: 'NBIOT_PLATFORM_UNAVAILABLE', retryable: true },
    });
    sim.failNext(502);
    expect(await control(command('ctwing'), t.ctx)).toMatchObject({
      ok: false,
      error: { code: 'NBIOT_PLATFORM_UNAVAILABLE', retryable: true },
    });
    expect(sim.commands()).toEqual([]);

    const wrongKey = await field({ onenetApiKey: 'wrong', ctwingAppSecret: 'wrong' });
    for (const p of ['onenet', 'ctwing'] as const)
      expect(await control(command(p), wrongKey.t.ctx)).toMatchObject({
        ok: false,
        error: { code: 'NBIOT_PLATFORM_AUTH_FAILED', retryable: false },
      });
    expect(wrongKey.sim.commands()).toEqual([]);

    const dead = await field({ onenetApiUrl: 'http://127.0.0.1:1' });
    expect(await control(command('onenet'), dead.t.ctx)).toMatchObject({
      ok: false,
      error: { code: 'NBIOT_PLATFORM_UNAVAILABLE', retryable: true },
    });
  });

  it('refuses what it cannot send with stable codes', async () => {
    const { t, sim } = await field();
    const cases: [Partial<ControlCommand>, string][] = [
      [{ action: 'relay-trip' }, 'ACTION_UNSUPPORTED'],
      [{ ref: { protocol: 'dlt645-2007', address: '000000000501' } }, 'ACTION_UNSUPPORTED'],
      [{ ref: { protocol: 'cjt188', address: '12345' } }, 'NBIOT_ADDRESS_INVALID'],
      [{ route: { via: 'lora', devEui: '70b3d5fffe000001' } }, 'NBIOT_ROUTE_MISSING'],
      [{ route: { via: 'nbiot', deviceId: IMEI } }, 'NBIOT_ROUTE_MISSING'],
      [{ expiresAt: 'not a time' }, 'COMMAND_EXPIRED'],
    ];
    for (const [over, code] of cases)
      expect(await control(command('onenet', over), t.ctx)).toMatchObject({
        ok: false,
        error: { code, retryable: false },
      });
    const platformIds = await field({ onenetDeviceId: 'platform', iotdaDeviceId: 'imei' });
    for (const p of ['onenet', 'iotda'] as const)
      expect(await control(command(p), platformIds.t.ctx)).toMatchObject({
        ok: false,
        error: { code: 'NBIOT_DEVICE_ID_UNUSABLE', retryable: false },
      });
    const unset = await field({ onenetApiKey: '', ctwingProductId: '' });
    for (const p of ['onenet', 'ctwing'] as const)
      expect(await control(command(p), unset.t.ctx)).toMatchObject({
        ok: false,
        error: { code: 'NBIOT_PLATFORM_NOT_CONFIGURED', retryable: false },
      });
    expect([sim, platformIds.sim, unset.sim].flatMap((s) => s.commands())).toEqual([]);
  });
});

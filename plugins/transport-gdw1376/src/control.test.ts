import type { ControlCommand, MeterTarget } from '@quadmeter/sdk';
import { TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { ManualClock } from '@quadmeter/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from './index.ts';
import {
  A1,
  collect,
  meters,
  request,
  simAddress,
  simClock,
  startMaster,
  startSim,
  waitUntil,
} from './test-support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(a2: number, clock = simClock()) {
  const m = await startMaster();
  cleanups.push(() => m.stop());
  const s = startSim(m.port, a2, { clock });
  cleanups.push(() => s.stop());
  await waitUntil(() => s.state === 'logged-in');
  return { m, s };
}

const gateway = (a2: number) => ({ id: `gw-${a2}`, protocol: 'gdw1376', address: `${A1}-${a2}` });

function command(a2: number, action: ControlCommand['action'], pn = 1): ControlCommand {
  return {
    id: `cmd-${action}`,
    tenantId: TEST_TENANT_ID,
    meterId: `m${pn}`,
    ref: { protocol: 'dlt645-2007', address: simAddress(a2, pn) },
    line: { id: `gw-${a2}`, params: {}, gateway: gateway(a2) },
    action,
  };
}

const poll = plugin.mode === 'poll' ? plugin : undefined;

describe('control through the concentrator', () => {
  it('time-sync is AFN 05 F31 to the terminal; relay actions are DL/T 645 1C frames forwarded by AFN 10', async () => {
    const { m, s } = await setup(41);
    const sync = await poll?.control(command(41, 'time-sync'), m.ctx);
    expect(sync).toMatchObject({ commandId: 'cmd-time-sync', ok: true });
    expect(s.controls.at(-1)).toMatchObject({ fn: 31, pn: 0 });
    const meter = s.options.table.get(1)?.device.meter;
    expect(meter?.relay.state).toBe('closed');
    const trip = await poll?.control(command(41, 'relay-trip'), m.ctx);
    expect(trip).toMatchObject({ commandId: 'cmd-relay-trip', ok: true });
    expect(meter?.relay.state).toBe('tripped');
    expect(await poll?.control(command(41, 'keep-power'), m.ctx)).toMatchObject({ ok: true });
    expect(meter?.relay).toMatchObject({ state: 'closed', keepPower: true });
    expect(await poll?.control(command(41, 'relay-trip'), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'METER_REFUSED', retryable: false },
    });
    expect(await poll?.control(command(41, 'freeze'), m.ctx)).toMatchObject({ ok: true });
  });

  it('stable codes: a silent meter, a valve action, an offline concentrator', async () => {
    const { m } = await setup(42);
    expect(await poll?.control(command(42, 'relay-trip', 99), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'NO_REPLY', retryable: true },
    });
    expect(await poll?.control(command(42, 'valve-close'), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'CONTROL_UNSUPPORTED', retryable: false },
    });
    expect(await poll?.control(command(43, 'relay-trip'), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'GATEWAY_OFFLINE', retryable: true },
    });
  });

  it('a command whose validity the meter clock has passed is refused by the meter', async () => {
    const { m } = await setup(44, new ManualClock(Date.now() + 86_400_000));
    expect(await poll?.control(command(44, 'relay-trip'), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'METER_REFUSED' },
    });
  });
});

describe('downloadAddresses: AFN 04 F10', () => {
  it('loads the meter archive into the terminal with a result per meter', async () => {
    const { m, s } = await setup(45);
    const list: MeterTarget[] = [
      ...meters(45, [7, 8]).map((t, i) => ({
        ...t,
        ref: { protocol: 'dlt645-2007', address: `99000000000${i}` },
      })),
      ...meters(45, [9]).map((t) => ({
        ...t,
        params: { port: 3 },
        ref: { protocol: 'dlt645-1997', address: '990000000009' },
      })),
      { meterId: 'no-point', ref: { protocol: 'dlt645-2007', address: '990000000010' } },
    ];
    const result = await poll?.downloadAddresses?.(gateway(45), list, m.ctx);
    expect(result).toEqual({ accepted: 3, rejected: [{ meterId: 'no-point', reason: 'ROUTE_INVALID' }] });
    const table = s.options.table;
    expect(table.get(7)?.device.meter.address).toBe('990000000000');
    expect(table.get(9)?.config).toMatchObject({ pn: 9, port: 3, protocol: 1, address: '990000000009' });
    // a downloaded point reads through the terminal like any other
    const [read] = await collect(m.ctx, request(45, [7]));
    expect(read).toMatchObject({ ok: true, reading: { route: { point: 7 } } });
    const off = await poll?.downloadAddresses?.(gateway(46), list.slice(0, 1), m.ctx);
    expect(off).toEqual({ accepted: 0, rejected: [{ meterId: 'm7', reason: 'GATEWAY_OFFLINE' }] });
  });
});

import type { MeterTarget } from '@quadmeter/sdk';
import { ElectricityMeter, ManualClock } from '@quadmeter/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { command, gateway, run, setupControl, valve, WATER_PORT } from './control-support.ts';
import plugin from './index.ts';
import { ArmedCloseDevice, NoStatusWordDevice, WeldedRelayDevice } from './test-faults.ts';
import { collect, meters, request, simAddress, simClock } from './test-support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const setup = (a2: number, clock?: ManualClock, lineTiming?: boolean) =>
  setupControl(cleanups, a2, clock, lineTiming);
const poll = plugin.mode === 'poll' ? plugin : undefined;

describe('relay control through the concentrator (DL/T 645 1C in AFN 10 F1)', () => {
  it('a trip is confirmed by status word 3 read back through the same forwarding', async () => {
    const { m, s } = await setup(41);
    const meter = s.options.table.get(1)?.device.meter;
    expect(meter?.relay.state).toBe('closed');
    const trip = await run(command(41, 'relay-trip'), m.ctx);
    expect(trip).toMatchObject({
      commandId: 'cmd-relay-trip',
      ok: true,
      status: 'confirmed',
      state: { relay: 'open' },
    });
    expect(meter?.relay.state).toBe('tripped');
    // the 1C frame and the 04000503 read, each one AFN 10 request the terminal forwarded
    expect(s.wire.ports).toMatchObject({ forwards: 2, answered: 2 });
    const close = await run(command(41, 'relay-close'), m.ctx);
    expect(close).toMatchObject({ ok: true, status: 'confirmed', state: { relay: 'closed' } });
    expect(meter?.relay.state).toBe('closed');
  });

  it('keep-power, alarm and freeze are acknowledged, unverified; a trip under keep-power is refused', async () => {
    const { m, s } = await setup(42);
    const meter = s.options.table.get(1)?.device.meter;
    expect(await run(command(42, 'keep-power'), m.ctx)).toMatchObject({ ok: true, status: 'unverified' });
    expect(meter?.relay).toMatchObject({ state: 'closed', keepPower: true });
    expect(await run(command(42, 'relay-trip'), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'METER_REFUSED', retryable: false },
    });
    expect(await run(command(42, 'alarm-on'), m.ctx)).toMatchObject({ ok: true, status: 'unverified' });
    expect(meter?.relay.alarm).toBe(true);
    expect(await run(command(42, 'alarm-off'), m.ctx)).toMatchObject({ ok: true, status: 'unverified' });
    expect(meter?.relay.alarm).toBe(false);
    expect(await run(command(42, 'keep-power-clear'), m.ctx)).toMatchObject({
      ok: true,
      status: 'unverified',
    });
    expect(meter?.relay.keepPower).toBe(false);
    expect(await run(command(42, 'freeze'), m.ctx)).toMatchObject({ ok: true, status: 'unverified' });
  });

  it('a relay that does not move is STATE_MISMATCH (retryable); a meter without status word 3 is unverified', async () => {
    const { m, s, clock } = await setup(43);
    const welded = new ElectricityMeter({ address: simAddress(43, 5), clock });
    s.options.table.attach(5, new WeldedRelayDevice(welded));
    expect(await run(command(43, 'relay-trip', 5), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'STATE_MISMATCH', retryable: true },
    });
    expect(welded.relay.state).toBe('closed');
    const plain = new ElectricityMeter({ address: simAddress(43, 6), clock });
    s.options.table.attach(6, new NoStatusWordDevice(plain));
    expect(await run(command(43, 'relay-trip', 6), m.ctx)).toMatchObject({ ok: true, status: 'unverified' });
    expect(plain.relay.state).toBe('tripped');
  });

  it('an allow-close the meter only armed is unverified without a state; direct close is confirmed', async () => {
    const { m, s, clock } = await setup(45);
    const meter = new ElectricityMeter({ address: simAddress(45, 5), clock });
    const device = new ArmedCloseDevice(meter);
    s.options.table.attach(5, device);
    expect(await run(command(45, 'relay-trip', 5), m.ctx)).toMatchObject({
      status: 'confirmed',
      state: { relay: 'open' },
    });
    const armed = await run(command(45, 'relay-close', 5), m.ctx);
    expect(armed).toMatchObject({ ok: true, status: 'unverified' });
    expect(armed).not.toHaveProperty('state');
    expect(device.armed).toBe(true);
    const direct = command(45, 'relay-close', 5, { params: { relayClose: 'direct-close' } });
    expect(await run(direct, m.ctx)).toMatchObject({ ok: false, error: { code: 'STATE_MISMATCH' } });
    device.armed = false;
    expect(await run(direct, m.ctx)).toMatchObject({ status: 'confirmed', state: { relay: 'closed' } });
    expect(meter.relay.state).toBe('closed');
  });

  it('the 1C validity ends at expiresAt when that is sooner than the default', async () => {
    // the meter clock runs 5 minutes ahead: a 10-minute validity passes, a 3-minute one has ended there
    const { m, s } = await setup(44, new ManualClock(Date.now() + 5 * 60_000));
    const soon = new Date(Date.now() + 3 * 60_000).toISOString();
    expect(await run(command(44, 'relay-trip', 1, { expiresAt: soon }), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'METER_REFUSED' },
    });
    expect(s.options.table.get(1)?.device.meter.relay.state).toBe('closed');
    expect(await run(command(44, 'relay-trip', 1), m.ctx)).toMatchObject({ ok: true, status: 'confirmed' });
  });
});

describe('stable failures and expiry', () => {
  it('a silent meter, an action the meter does not take, an offline concentrator', async () => {
    const { m } = await setup(61);
    expect(await run(command(61, 'relay-trip', 99), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'NO_REPLY', retryable: true },
    });
    expect(await run(command(61, 'valve-close'), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'CONTROL_UNSUPPORTED', retryable: false },
    });
    expect(await run(valve(61, 'valve-close', 1, { params: { port: WATER_PORT } }), m.ctx)).toMatchObject({
      ok: true,
    });
    for (const c of [
      command(62, 'relay-trip'),
      valve(62, 'valve-close'),
      { ...command(61, 'relay-trip'), tenantId: 'other' },
    ])
      expect(await run(c, m.ctx)).toMatchObject({
        ok: false,
        error: { code: 'GATEWAY_OFFLINE', retryable: true },
      });
  });

  it('an expired command never reaches the wire', async () => {
    const { m, s, water } = await setup(63);
    const before = s.requests;
    const past = new Date(Date.now() - 1000).toISOString();
    for (const c of [
      valve(63, 'valve-close', 1, { expiresAt: past }),
      command(63, 'relay-trip', 1, { expiresAt: past }),
    ])
      expect(await run(c, m.ctx)).toMatchObject({
        ok: false,
        error: { code: 'COMMAND_EXPIRED', retryable: false },
      });
    expect(await run(command(63, 'time-sync', 1, { expiresAt: past }), m.ctx)).toMatchObject({
      error: { code: 'COMMAND_EXPIRED' },
    });
    expect(s.requests).toBe(before);
    expect(water[0].meter.valve).toBe('open');
    expect(s.options.table.get(1)?.device.meter.relay.state).toBe('closed');
  });

  it('a command that expires while it waits for the link behind another is not sent', async () => {
    // with the meter port timed, a valve command holds the link for its 35 bytes at 2400 baud + 30 ms
    const { m, s, water } = await setup(64, simClock(), true);
    const expiresAt = new Date(Date.now() + 100).toISOString();
    const [first, second] = await Promise.all([
      run(valve(64, 'valve-close', 1), m.ctx),
      run(valve(64, 'valve-close', 2, { expiresAt }), m.ctx),
    ]);
    expect(first).toMatchObject({ ok: true, status: 'confirmed' });
    expect(second).toMatchObject({ ok: false, error: { code: 'COMMAND_EXPIRED', retryable: false } });
    expect(s.wire.ports.forwards).toBe(1);
    expect(water.map((d) => d.meter.valve)).toEqual(['closed', 'open', 'open']);
  });
});

describe('time sync', () => {
  it('of the terminal is AFN 05 F31; of a DL/T 645 meter a broadcast time forwarded on its port', async () => {
    const { m, s } = await setup(71);
    const terminal = await run(command(71, 'time-sync', 1, { params: { target: 'terminal' } }), m.ctx);
    expect(terminal).toMatchObject({ ok: true, status: 'unverified' });
    expect(s.controls.at(-1)).toMatchObject({ fn: 31, pn: 0 });
    const meter = s.options.table.get(2)?.device.meter;
    // the simulated meters' clock is 2026-06-14; the broadcast sets them to now
    expect(Math.abs((meter?.meterNow() ?? 0) - Date.now())).toBeGreaterThan(86_400_000);
    const sync = await run(command(71, 'time-sync', 2), m.ctx);
    expect(sync).toMatchObject({ ok: true, status: 'unverified' });
    expect(s.wire.ports).toMatchObject({ forwards: 1, answered: 0 });
    expect(Math.abs((meter?.meterNow() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(s.controls).toHaveLength(1);
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

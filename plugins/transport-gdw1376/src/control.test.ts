import type { ControlCommand, MeterTarget } from '@quadmeter/sdk';
import { TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import {
  attachWaterMeters,
  CJT188_TYPES,
  Cjt188Device,
  ElectricityMeter,
  ManualClock,
  MeterTable,
  waterAddress,
} from '@quadmeter/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from './index.ts';
import { JammedValveMeter, NoStatusWordDevice, WeldedRelayDevice } from './test-faults.ts';
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

/** Water meters hang on terminal port 3 of every simulated concentrator here. */
const WATER_PORT = 3;

async function setup(a2: number, clock = simClock(), lineTiming = false) {
  const m = await startMaster();
  cleanups.push(() => m.stop());
  const table = MeterTable.generate(clock, 4, 35010000 + a2);
  const water = attachWaterMeters(table, { clock, port: WATER_PORT, count: 3, addressBase: 35010000 + a2 });
  const s = startSim(m.port, a2, { clock, table, lineTiming });
  cleanups.push(() => s.stop());
  await waitUntil(() => s.state === 'logged-in');
  return { m, s, water, clock };
}

const gateway = (a2: number) => ({ id: `gw-${a2}`, protocol: 'gdw1376', address: `${A1}-${a2}` });

function command(
  a2: number,
  action: ControlCommand['action'],
  pn = 1,
  extra: Partial<ControlCommand> = {},
): ControlCommand {
  return {
    id: `cmd-${action}`,
    tenantId: TEST_TENANT_ID,
    meterId: `m${pn}`,
    ref: { protocol: 'dlt645-2007', address: simAddress(a2, pn) },
    line: { id: `gw-${a2}`, params: {}, gateway: gateway(a2) },
    action,
    ...extra,
  };
}

/** A valve command to water meter `i` on port 3, shaped as the core sends it (route, line, port). */
function valve(a2: number, action: 'valve-open' | 'valve-close', i = 1, extra: Partial<ControlCommand> = {}) {
  return command(a2, action, i, {
    meterId: `w${i}`,
    ref: { protocol: 'cjt188', address: waterAddress(35010000 + a2, i) },
    route: { via: 'concentrator', gateway: { a1: A1, a2 }, point: 100 + i },
    params: { port: WATER_PORT },
    ...extra,
  });
}

const poll = plugin.mode === 'poll' ? plugin : undefined;
const run = (c: ControlCommand, ctx: Awaited<ReturnType<typeof setup>>['m']['ctx']) => {
  if (!poll) throw new Error('transport-gdw1376 is a poll transport');
  return poll.control(c, ctx);
};

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

describe('valves of CJ/T 188 water meters behind the concentrator', () => {
  it('a valve close is forwarded on the meter port and confirmed by the ST bits; open again', async () => {
    const { m, s, water } = await setup(51);
    const closed = await run(valve(51, 'valve-close', 2), m.ctx);
    expect(closed).toMatchObject({ ok: true, status: 'confirmed', state: { valve: 'closed' } });
    expect(water.map((d) => d.meter.valve)).toEqual(['open', 'closed', 'open']);
    expect(s.wire.ports).toMatchObject({ forwards: 1, answered: 1 });
    expect(await run(valve(51, 'valve-open', 2), m.ctx)).toMatchObject({
      status: 'confirmed',
      state: { valve: 'open' },
    });
    expect(water[1].meter.valve).toBe('open');
  });

  it('a jammed valve is STATE_MISMATCH; a meter on another port does not answer: NO_REPLY', async () => {
    const { m, s, clock } = await setup(52);
    const address = '35010052000009';
    const jammed = new JammedValveMeter({ type: CJT188_TYPES.coldWater, address, clock });
    s.options.table.attachOnPort(WATER_PORT, new Cjt188Device(jammed));
    const c = valve(52, 'valve-close', 9, { ref: { protocol: 'cjt188', address } });
    expect(await run(c, m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'STATE_MISMATCH', retryable: true },
    });
    expect(await run(valve(52, 'valve-close', 1, { params: { port: 4 } }), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'NO_REPLY', retryable: true },
    });
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

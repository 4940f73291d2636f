import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand } from '@quadmeter/sdk';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import type { BusDevice } from '@quadmeter/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { configOf, type Rs485Config } from './config.ts';
import { command, dltFramesSent } from './control-test-support.ts';
import plugin from './index.ts';
import { closeLines } from './pool.ts';
import { pastClock, power, water } from './sim-meters.ts';
import { mangled, type SimLine, tcpLine } from './test-lines.ts';

const lines: SimLine[] = [];
afterEach(async () => {
  await closeLines();
  while (lines.length) await lines.pop()?.close();
});

const { ctx } = makeTestContext<Rs485Config>({ pluginId: 'transport-rs485', config: configOf({}) });
const HOUR = 3_600_000;
const MINUTE = 60_000;

async function onLine(devices: BusDevice[]) {
  const clock = pastClock();
  const line = await tcpLine(devices.length ? devices : []);
  lines.push(line);
  const run = (id: string, address: string, protocol = 'dlt645-2007', more: Partial<ControlCommand> = {}) =>
    plugin.control(command(line, id, 'time-sync', protocol, address, more), ctx);
  return { clock, line, run };
}

/** A meter that acknowledges writes (C=94) without taking them. */
function ignoresWrites(d: BusDevice, address: string): BusDevice {
  return {
    ...d,
    label: `${d.label} (ignores writes)`,
    createExtractor: () => d.createExtractor(),
    handle: (frame) => {
      const f = dlt645.decodeFrame(frame);
      if (f.function !== 'write' || f.address !== address) return d.handle(frame);
      return dlt645.encodeFrame({ address, function: 'write', direction: 'slave->master', version: '2007' });
    },
  };
}

describe('transport-rs485 time sync', () => {
  it('the broadcast sets every DL/T 645 clock on the line; the clock read back confirms it', async () => {
    const clock = pastClock();
    const a = power(clock, '000000004001');
    const b = power(clock, '000000004002');
    const old = power(clock, '000000004003', { variant: '1997' });
    const line = await tcpLine([a, b, old]);
    lines.push(line);
    clock.catchUp();
    a.meter.clockOffsetMs = -HOUR;
    b.meter.clockOffsetMs = 2 * HOUR;
    old.meter.clockOffsetMs = -3 * HOUR;
    const r = await plugin.control(command(line, 'ts', 'time-sync', 'dlt645-2007', '000000004002'), ctx);
    expect(r).toMatchObject({
      ok: true,
      status: 'confirmed',
      detail: expect.stringMatching(/^broadcast time .+; the meter clock reads -?\d+ s off$/),
    });
    expect(dltFramesSent(line).map((f) => [f.function, f.address, f.di])).toEqual([
      ['broadcast-time', dlt645.BROADCAST_ADDRESS, undefined],
      ['read', '000000004002', '04000101'],
      ['read', '000000004002', '04000102'],
    ]);
    for (const m of [a, b, old]) expect(Math.abs(m.meter.clockOffsetMs)).toBeLessThan(MINUTE);
    // a 1997 meter gets the broadcast alone
    old.meter.clockOffsetMs = HOUR;
    const o = await plugin.control(command(line, 'o', 'time-sync', 'dlt645-1997', '000000004003'), ctx);
    expect(o).toMatchObject({
      ok: true,
      status: 'unverified',
      detail: expect.stringMatching(/no reply by design/),
    });
    expect(Math.abs(old.meter.clockOffsetMs)).toBeLessThan(MINUTE);
    expect(dltFramesSent(line)).toHaveLength(4);
  });

  it('a clock too far off for the broadcast is written with the password and read back', async () => {
    const clock = pastClock();
    const strict = power(clock, '000000004101', { broadcastWindowMs: 5 * MINUTE });
    const locked = power(clock, '000000004102', { broadcastWindowMs: 5 * MINUTE, password: '02123456' });
    const { line, run } = await onLine([strict, locked]);
    clock.catchUp();
    strict.meter.clockOffsetMs = 2 * HOUR;
    locked.meter.clockOffsetMs = -2 * HOUR;
    const r = await run('s', '000000004101');
    expect(r).toMatchObject({
      ok: true,
      status: 'confirmed',
      detail: expect.stringMatching(/left the clock 7[12]\d\d s off; written: -?\d+ s off$/),
    });
    expect(Math.abs(strict.meter.clockOffsetMs)).toBeLessThan(MINUTE);
    const writes = dltFramesSent(line).filter((f) => f.function === 'write');
    expect(writes.map((f) => [f.di, f.password])).toEqual([
      ['04000101', '02000000'],
      ['04000102', '02000000'],
    ]);
    // the broadcast left the locked meter alone too; its write needs its password
    expect(locked.meter.clockOffsetMs).toBe(-2 * HOUR);
    expect(await run('l', '000000004102')).toMatchObject({
      ok: false,
      error: { code: 'METER_ERROR', retryable: false },
    });
    expect(locked.meter.clockOffsetMs).toBe(-2 * HOUR);
    expect(
      await run('l2', '000000004102', 'dlt645-2007', { params: { password: '02123456' } }),
    ).toMatchObject({
      ok: true,
      status: 'confirmed',
    });
    expect(Math.abs(locked.meter.clockOffsetMs)).toBeLessThan(MINUTE);
  });

  it('a clock the meter cannot report is unverified; one that stays off is STATE_MISMATCH', async () => {
    const clock = pastClock();
    const blind = mangled(power(clock, '000000004201'), (reply, request) => {
      const di = dlt645.decodeFrame(request).di;
      return di === '04000101' ? dlt645.buildErrorReply('000000004201', 'read', 0x02) : reply;
    });
    const stubborn = power(clock, '000000004202', { broadcastWindowMs: 5 * MINUTE });
    const { run } = await onLine([blind, ignoresWrites(stubborn, '000000004202')]);
    clock.catchUp();
    expect(await run('b', '000000004201')).toMatchObject({
      ok: true,
      status: 'unverified',
      detail: expect.stringMatching(/the meter clock cannot be read$/),
    });
    stubborn.meter.clockOffsetMs = 3 * HOUR;
    expect(await run('s', '000000004202')).toMatchObject({
      ok: false,
      error: {
        code: 'STATE_MISMATCH',
        retryable: true,
        message: expect.stringMatching(/^the meter clock reads 10[78]\d\d s off after broadcast and write$/),
      },
    });
    expect(stubborn.meter.clockOffsetMs).toBe(3 * HOUR);
  });

  it('a CJ/T 188 meter takes its time by A015; its readings carry its clock before and after', async () => {
    const clock = pastClock();
    const w = water(clock, '00000000004303');
    const stuck = water(clock, '00000000004304');
    const { line, run } = await onLine([
      w,
      mangled(stuck, (reply, request) => {
        const f = cjt188.decode(request);
        if (f.di !== 'A015') return reply;
        // acknowledged, but the clock is put back
        stuck.meter.clockOffsetMs = 5 * HOUR;
        return reply;
      }),
    ]);
    clock.catchUp();
    w.meter.clockOffsetMs = 7 * HOUR;
    const measured = async () => {
      const out = [];
      for await (const x of plugin.read(
        {
          tenantId: TEST_TENANT_ID,
          signal: ctx.signal,
          line: line.ref,
          meters: [{ meterId: 'w', ref: { protocol: 'cjt188', address: '00000000004303' } }],
        },
        ctx,
      ))
        out.push(x);
      return out[0].ok ? Date.parse(out[0].reading.measuredAt) - clock.now() : Number.NaN;
    };
    expect(Math.abs((await measured()) - 7 * HOUR)).toBeLessThan(MINUTE);
    expect(await run('tw', '00000000004303', 'cjt188')).toMatchObject({
      ok: true,
      status: 'confirmed',
      detail: expect.stringMatching(/^meter clock set to .+; the meter clock reads -?\d+ s off$/),
    });
    expect(Math.abs(w.meter.clockOffsetMs)).toBeLessThan(MINUTE);
    expect(Math.abs(await measured())).toBeLessThan(MINUTE);
    expect(await run('ts', '00000000004304', 'cjt188')).toMatchObject({
      ok: false,
      error: { code: 'STATE_MISMATCH', retryable: true },
    });
  });
});

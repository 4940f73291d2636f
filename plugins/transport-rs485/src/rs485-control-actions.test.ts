import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand } from '@quadmeter/sdk';
import { wallString } from '@quadmeter/sdk/serial';
import { makeTestContext } from '@quadmeter/sdk/testing';
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

/** Three meters on one TCP line: a smart meter (D12, direct close), a plain one, a water meter. */
async function setup() {
  const clock = pastClock();
  const smart = power(clock, '000000003001');
  const plain = power(clock, '000000003002');
  const w = water(clock, '00000000003003');
  const old = power(clock, '000000003004', { variant: '1997' });
  const line = await tcpLine([smart, plain, w, old], {}, { marginMs: 600 });
  lines.push(line);
  clock.catchUp();
  const run = (
    id: string,
    action: ControlCommand['action'],
    address: string,
    more: Partial<ControlCommand> = {},
    protocol = 'dlt645-2007',
  ) => plugin.control(command(line, id, action, protocol, address, more), ctx);
  const onSmart = { params: { profile: 'dlt645-smart' } };
  return { clock, smart, plain, w, old, line, run, onSmart };
}

describe('transport-rs485 control actions on simulated meters', () => {
  it('alarm and keep-power show in status word 3 and come back confirmed', async () => {
    const { smart, plain, run, onSmart } = await setup();
    expect(await run('a1', 'alarm-on', '000000003001', onSmart)).toEqual({
      commandId: 'a1',
      ok: true,
      status: 'confirmed',
      state: { relay: 'closed', keepPower: false },
      detail: 'alarm on',
    });
    expect(smart.meter.relay.alarm).toBe(true);
    expect(await run('a0', 'alarm-off', '000000003001', onSmart)).toMatchObject({
      ok: true,
      status: 'confirmed',
      detail: 'alarm off',
    });
    expect(smart.meter.relay.alarm).toBe(false);

    // keep-power on a tripped meter: supply back, D12 set
    expect(await run('t', 'relay-trip', '000000003001', onSmart)).toMatchObject({
      status: 'confirmed',
      state: { relay: 'open' },
    });
    expect(await run('k1', 'keep-power', '000000003001', onSmart)).toEqual({
      commandId: 'k1',
      ok: true,
      status: 'confirmed',
      state: { relay: 'closed', keepPower: true },
      detail: 'keep-power on',
    });
    expect(smart.meter.relay).toMatchObject({ keepPower: true, state: 'closed' });
    expect(await run('k0', 'keep-power-clear', '000000003001', onSmart)).toMatchObject({
      status: 'confirmed',
      state: { keepPower: false },
    });
    expect(smart.meter.relay.keepPower).toBe(false);

    // a plain profile takes a set D12 as an answer, a clear one as "cannot tell"
    expect(await run('p1', 'keep-power', '000000003002')).toMatchObject({
      status: 'confirmed',
      state: { keepPower: true },
    });
    expect(await run('p0', 'keep-power-clear', '000000003002')).toEqual({
      commandId: 'p0',
      ok: true,
      status: 'unverified',
      state: { relay: 'closed' },
      detail: 'acknowledged; this meter does not report keep-power',
    });
    expect(plain.meter.relay.keepPower).toBe(false);
  });

  it('the 1C valid-until is the command expiry when that comes before the configured window', async () => {
    const { line, smart, run, onSmart } = await setup();
    const soon = Date.now() + 2 * 60_000;
    const r = await run('t', 'relay-trip', '000000003001', {
      ...onSmart,
      expiresAt: new Date(soon).toISOString(),
    });
    expect(r).toMatchObject({ ok: true, status: 'confirmed' });
    const late = await run('c', 'relay-close', '000000003001', {
      ...onSmart,
      expiresAt: new Date(Date.now() + 5 * HOUR).toISOString(),
    });
    expect(late).toMatchObject({ ok: true, status: 'confirmed', state: { relay: 'closed' } });
    const sent = dltFramesSent(line).filter((f) => f.function === 'relay-control');
    expect(sent.map((f) => f.action)).toEqual(['trip', 'direct-close']);
    expect(sent[0].validUntil).toBe(wallString(soon, 480).slice(0, 19));
    // a later expiry leaves the configured 10 minutes: well before the 5 hours asked
    const until = Date.parse(`${String(sent[1].validUntil).replace(' ', 'T')}+08:00`);
    expect(until).toBeLessThan(Date.now() + 11 * 60_000);
    expect(smart.meter.events.tripCount).toBe(1);
  });

  it('freeze now and a new daily freeze time reach the meter; bad patterns stay off the wire', async () => {
    const { smart, line, run } = await setup();
    const before = smart.meter.instantFreezes.last(1);
    expect(await run('f', 'freeze', '000000003001')).toMatchObject({
      ok: true,
      status: 'unverified',
      detail: 'freeze 99999999 acknowledged',
    });
    expect(smart.meter.instantFreezes.last(1)).not.toBe(before);
    expect(smart.meter.instantFreezes.last(1)?.positive[0]).toBe(smart.meter.registers().positive[0]);
    expect(await run('d', 'freeze', '000000003001', { params: { pattern: '99991230' } })).toMatchObject({
      ok: true,
    });
    expect(smart.meter.dailyFreeze).toEqual({ hour: 12, minute: 30 });
    const framesBefore = line.sent.length;
    for (const pattern of ['9999123', '12011230', '99992460', 99999999, '99\u00009999'])
      expect(await run('x', 'freeze', '000000003001', { params: { pattern } })).toMatchObject({
        ok: false,
        error: { code: 'PARAMS_INVALID', retryable: false },
      });
    expect(line.sent.length).toBe(framesBefore);
  });

  it('prepaid limits in fen are written as yuan and read back', async () => {
    const { smart, line, run } = await setup();
    const params = { alarm1: 5000, alarm2: 2001, overdraft: 1000, hoarding: 99_999_999, closePermit: 1234 };
    expect(await run('pp', 'prepaid-params', '000000003001', { params })).toEqual({
      commandId: 'pp',
      ok: true,
      status: 'confirmed',
      detail:
        'written and read back: alarm1 50.00, alarm2 20.01, overdraft 10.00, hoarding 999999.99, closePermit 12.34 yuan',
    });
    expect(smart.meter.prepaid).toMatchObject({
      alarm1: 50,
      alarm2: 20.01,
      overdraftLimit: 10,
      hoardingLimit: 999999.99,
      closePermit: 12.34,
    });
    const writes = dltFramesSent(line).filter((f) => f.function === 'write');
    expect(writes.map((f) => [f.di, f.value, f.password])).toEqual([
      ['04001001', 50, '02000000'],
      ['04001002', 20.01, '02000000'],
      ['04001003', 10, '02000000'],
      ['04001004', 999999.99, '02000000'],
      ['04001005', 12.34, '02000000'],
    ]);
    // the close-permit amount now holds a tripped meter open until the balance reaches it
    smart.meter.prepaid.balance = -5;
    await run('t', 'relay-trip', '000000003001');
    smart.meter.topUp(10);
    expect(smart.meter.relay.state).toBe('tripped');
    smart.meter.topUp(10);
    expect(smart.meter.relay.state).toBe('closed');

    const sentBefore = line.sent.length;
    for (const bad of [
      {},
      { alarm1: 12.5 },
      { alarm1: -1 },
      { alarm2: '100' },
      { hoarding: 100_000_000 },
      undefined,
    ])
      expect(await run('b', 'prepaid-params', '000000003001', { params: bad })).toMatchObject({
        ok: false,
        error: { code: 'PARAMS_INVALID', retryable: false },
      });
    expect(line.sent.length).toBe(sentBefore);
  });

  it('a limit that reads back different is STATE_MISMATCH; one the meter cannot read is unverified', async () => {
    const clock = pastClock();
    const address = '000000003101';
    const liar = mangled(power(clock, address), (reply, request) => {
      const f = dlt645.decodeFrame(request);
      if (f.function !== 'read') return reply;
      if (f.di === '04001001') return dlt645.buildReadReply(address, '04001001', 1);
      if (f.di === '04001002') return dlt645.buildErrorReply(address, 'read', 0x02);
      return reply;
    });
    const line = await tcpLine([liar]);
    lines.push(line);
    clock.catchUp();
    const run = (params: Record<string, number>) =>
      plugin.control(command(line, 'p', 'prepaid-params', 'dlt645-2007', address, { params }), ctx);
    expect(await run({ alarm1: 3000 })).toMatchObject({
      ok: false,
      error: { code: 'STATE_MISMATCH', retryable: true, message: expect.stringContaining('alarm1 1.00') },
    });
    expect(await run({ alarm2: 3000, overdraft: 500 })).toEqual({
      commandId: 'p',
      ok: true,
      status: 'unverified',
      detail: 'written alarm2 30.00, overdraft 5.00 yuan; alarm2 not readable',
    });
  });

  it('actions a protocol has no frame for are ACTION_UNSUPPORTED, nothing sent', async () => {
    const { line, run } = await setup();
    const cases: [ControlCommand['action'], string, string][] = [
      ['relay-trip', '000000003004', 'dlt645-1997'],
      ['prepaid-params', '000000003004', 'dlt645-1997'],
      ['freeze', '00000000003003', 'cjt188'],
      ['keep-power', '00000000003003', 'cjt188'],
      ['valve-close', '000000003001', 'dlt645-2007'],
      ['time-sync', '000000003001', 'toString'],
    ];
    for (const [action, address, protocol] of cases)
      expect(await run('u', action, address, { params: { alarm1: 1 } }, protocol)).toMatchObject({
        ok: false,
        error: { code: 'ACTION_UNSUPPORTED', retryable: false },
      });
    expect(line.sent).toEqual([]);
  });
});

import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand, ReadResult } from '@quadmeter/sdk';
import { decimalString } from '@quadmeter/sdk/serial';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { configOf, type Rs485Config } from './config.ts';
import { command, deafRelay, dltFramesSent, stuckValve } from './control-test-support.ts';
import plugin from './index.ts';
import { closeLines } from './pool.ts';
import { pastClock, power, water } from './sim-meters.ts';
import { mangled, ptyLine, type SimLine, tcpLine } from './test-lines.ts';

const lines: SimLine[] = [];
afterEach(async () => {
  await closeLines();
  while (lines.length) await lines.pop()?.close();
});

const { ctx } = makeTestContext<Rs485Config>({ pluginId: 'transport-rs485', config: configOf({}) });

/** A DL/T 645-2007 meter without status word 3: answers "no data requested" for 04000503. */
function noStatusWord(address: string, clock: ReturnType<typeof pastClock>) {
  return mangled(power(clock, address), (reply, request) => {
    const f = dlt645.decodeFrame(request);
    return f.di === '04000503' ? dlt645.buildErrorReply(address, 'read', 0x02) : reply;
  });
}

describe('transport-rs485 on a socat pty pair through serialport', () => {
  it('reads, trips and closes a relay, closes and opens a valve, reading the state back', async () => {
    const clock = pastClock();
    const p = power(clock, '000000002001');
    const w = water(clock, '00000000002002');
    const line = await ptyLine([p, w, noStatusWord('000000002003', clock)]);
    lines.push(line);
    clock.catchUp();
    expect(line.key.startsWith('tty:/')).toBe(true);
    const out: ReadResult[] = [];
    for await (const r of plugin.read(
      {
        tenantId: TEST_TENANT_ID,
        signal: ctx.signal,
        line: line.ref,
        meters: [
          { meterId: 'p', ref: { protocol: 'dlt645-2007', address: '000000002001' } },
          // a meter with its own speed: the port is switched for it (the simulated bus keeps its own)
          {
            meterId: 'blind',
            ref: { protocol: 'dlt645-2007', address: '000000002003' },
            params: { baudRate: 4800 },
          },
        ],
      },
      ctx,
    ))
      out.push(r);
    // a meter without status word 3 still reads; its relay register has no value and no status
    expect(out[1]).toMatchObject({ ok: true, reading: { registers: { relay: null } } });
    expect(out[1].ok && out[1].reading.status).toBeUndefined();
    expect(out[0]).toMatchObject({
      ok: true,
      reading: {
        route: { via: 'serial', line: line.key, address: '000000002001' },
        registers: { activeImportTotal: decimalString(p.meter.registers().positive[0], 2), relay: 'closed' },
      },
    });

    const cmd = (
      id: string,
      action: ControlCommand['action'],
      protocol: string,
      address: string,
    ): ControlCommand => ({
      id,
      tenantId: TEST_TENANT_ID,
      meterId: id,
      ref: { protocol, address },
      line: line.ref,
      action,
    });
    const run = (c: ControlCommand) => plugin.control(c, ctx);
    expect(await run(cmd('trip', 'relay-trip', 'dlt645-2007', '000000002001'))).toEqual({
      commandId: 'trip',
      ok: true,
      status: 'confirmed',
      state: { relay: 'open' },
      detail: 'relay open',
    });
    expect(p.meter.relay.state).toBe('tripped');
    expect(await run(cmd('close', 'relay-close', 'dlt645-2007', '000000002001'))).toEqual({
      commandId: 'close',
      ok: true,
      status: 'confirmed',
      state: { relay: 'closed' },
      detail: 'relay closed',
    });
    expect(p.meter.relay.state).toBe('closed');
    expect(await run(cmd('vc', 'valve-close', 'cjt188', '00000000002002'))).toEqual({
      commandId: 'vc',
      ok: true,
      status: 'confirmed',
      state: { valve: 'closed' },
      detail: 'valve closed',
    });
    expect(w.meter.valve).toBe('closed');
    expect(await run(cmd('vo', 'valve-open', 'cjt188', '00000000002002'))).toMatchObject({
      ok: true,
      status: 'confirmed',
      state: { valve: 'open' },
    });
    expect(w.meter.valve).toBe('open');
    // a meter that cannot report its relay state: the command is acknowledged, not verified
    expect(await run(cmd('blind', 'relay-trip', 'dlt645-2007', '000000002003'))).toEqual({
      commandId: 'blind',
      ok: true,
      status: 'unverified',
      detail: 'acknowledged, unverified',
    });
  });

  it('refusals and unsupported actions come back with stable codes', async () => {
    const clock = pastClock();
    const p = power(clock, '000000002101');
    // one try per frame, with room for a loaded machine stalling the pty between reply chunks
    const line = await ptyLine([p], {}, undefined, { retries: 0, marginMs: 500 });
    lines.push(line);
    clock.catchUp();
    const base = { tenantId: TEST_TENANT_ID, meterId: 'p', line: line.ref };
    const ref = { protocol: 'dlt645-2007', address: '000000002101' };
    expect(await plugin.control({ ...base, id: 'kp', ref, action: 'keep-power' }, ctx)).toMatchObject({
      ok: true,
      status: 'confirmed',
      state: { relay: 'closed', keepPower: true },
    });
    // keep-power set: the meter refuses to trip (abnormal reply, error word bit 0)
    const refused = await plugin.control({ ...base, id: 't', ref, action: 'relay-trip' }, ctx);
    expect(refused).toMatchObject({
      commandId: 't',
      ok: false,
      error: { code: 'METER_ERROR', retryable: false },
    });
    expect(p.meter.relay.state).toBe('closed');
    expect(await plugin.control({ ...base, id: 'v', ref, action: 'valve-open' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'ACTION_UNSUPPORTED', retryable: false },
    });
    const noLine = await plugin.control(
      { ...base, line: undefined, id: 'n', ref, action: 'relay-trip' },
      ctx,
    );
    expect(noLine).toMatchObject({ ok: false, error: { code: 'LINE_PARAMS_INVALID', retryable: false } });
    const missing = await plugin.control(
      {
        ...base,
        line: { id: 'x', params: { key: '/dev/qm-no-such-tty' } },
        id: 'm',
        ref,
        action: 'relay-trip',
      },
      ctx,
    );
    expect(missing).toMatchObject({ ok: false, error: { code: 'LINE_PARAMS_INVALID' } });
    const gone = await plugin.control(
      {
        ...base,
        line: { id: 'x', params: { key: 'tty:/dev/qm-no-such-tty' } },
        id: 'g',
        ref,
        action: 'relay-trip',
      },
      ctx,
    );
    expect(gone).toMatchObject({ ok: false, error: { code: 'LINE_UNAVAILABLE', retryable: true } });
  });
});

describe('transport-rs485 control: what never reaches a meter, and meters that do not obey', () => {
  it('an expired command is refused without a frame on the line', async () => {
    const clock = pastClock();
    const p = power(clock, '000000002201');
    const w = water(clock, '00000000002202');
    const line = await tcpLine([p, w]);
    lines.push(line);
    clock.catchUp();
    const past = new Date(Date.now() - 1000).toISOString();
    for (const [action, protocol, address] of [
      ['relay-trip', 'dlt645-2007', '000000002201'],
      ['prepaid-params', 'dlt645-2007', '000000002201'],
      ['time-sync', 'dlt645-2007', '000000002201'],
      ['valve-close', 'cjt188', '00000000002202'],
    ] as const) {
      const r = await plugin.control(
        command(line, action, action, protocol, address, {
          expiresAt: past,
          params: { alarm1: 100 },
        }),
        ctx,
      );
      expect(r).toMatchObject({ ok: false, error: { code: 'COMMAND_EXPIRED', retryable: false } });
    }
    expect(line.sent).toEqual([]);
    expect(line.bus.stats.requestFrames).toBe(0);
    expect(p.meter.relay.state).toBe('closed');
    expect(p.meter.prepaid.alarm1).toBe(20);
    expect(w.meter.valve).toBe('open');
    // an expiry that is no instant is refused the same way, before the wire
    const bad = await plugin.control(
      command(line, 'b', 'relay-trip', 'dlt645-2007', '000000002201', { expiresAt: 'soon' }),
      ctx,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'PARAMS_INVALID', retryable: false } });
    expect(line.sent).toEqual([]);
  });

  it("a silent meter fails retryable after the line's tries; a wrong password is refused for good", async () => {
    const clock = pastClock();
    const p = power(clock, '000000002301', { password: '02123456' });
    const line = await tcpLine([p], {}, { retries: 1 });
    lines.push(line);
    clock.catchUp();
    const silent = await plugin.control(command(line, 's', 'relay-trip', 'dlt645-2007', '000000002399'), ctx);
    expect(silent).toMatchObject({ ok: false, error: { code: 'NO_REPLY', retryable: true } });
    // two tries of the same 1C frame (1 + retries), nothing else
    const sent = dltFramesSent(line);
    expect(sent.map((f) => [f.function, f.address])).toEqual([
      ['relay-control', '000000002399'],
      ['relay-control', '000000002399'],
    ]);

    // the configured password (02000000) does not open this meter: error word bit 2
    const refused = await plugin.control(
      command(line, 'r', 'relay-trip', 'dlt645-2007', '000000002301'),
      ctx,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'METER_ERROR', retryable: false } });
    expect(refused.ok || refused.error.message).toMatch(/error word 04/);
    expect(p.meter.relay.state).toBe('closed');
    const writeRefused = await plugin.control(
      command(line, 'w', 'prepaid-params', 'dlt645-2007', '000000002301', { params: { alarm1: 100 } }),
      ctx,
    );
    expect(writeRefused).toMatchObject({ ok: false, error: { code: 'METER_ERROR', retryable: false } });
    expect(p.meter.prepaid.alarm1).toBe(20);
    // the meter's own password in the command's params opens it
    const opened = await plugin.control(
      command(line, 'o', 'relay-trip', 'dlt645-2007', '000000002301', { params: { password: '02123456' } }),
      ctx,
    );
    expect(opened).toMatchObject({ ok: true, status: 'confirmed', state: { relay: 'open' } });
    // a password or operator code that is no 8 hex digits is refused before the wire
    const before = line.sent.length;
    for (const params of [{ password: '0212345' }, { password: 2123456 }, { operator: '0000000G' }])
      expect(
        await plugin.control(
          command(line, 'x', 'relay-close', 'dlt645-2007', '000000002301', { params }),
          ctx,
        ),
      ).toMatchObject({ ok: false, error: { code: 'PARAMS_INVALID', retryable: false } });
    expect(line.sent.length).toBe(before);
    expect(p.meter.relay.state).toBe('tripped');
  });

  it('a meter that acknowledges but does not act is a retryable STATE_MISMATCH', async () => {
    const clock = pastClock();
    const p = power(clock, '000000002401');
    const w = water(clock, '00000000002402');
    const line = await tcpLine([deafRelay(p, '000000002401'), stuckValve(w)]);
    lines.push(line);
    clock.catchUp();
    const trip = await plugin.control(command(line, 't', 'relay-trip', 'dlt645-2007', '000000002401'), ctx);
    expect(trip).toMatchObject({ ok: false, error: { code: 'STATE_MISMATCH', retryable: true } });
    expect(p.meter.relay.state).toBe('closed');
    const valve = await plugin.control(command(line, 'v', 'valve-close', 'cjt188', '00000000002402'), ctx);
    expect(valve).toMatchObject({ ok: false, error: { code: 'STATE_MISMATCH', retryable: true } });
    expect(valve.ok || valve.error.message).toMatch(/abnormal/);
    // a tripped meter that only arms on close: "close allowed" leaves it open until the customer
    // switches on (unverified, no state that would contradict), a direct close that leaves it open
    // is a mismatch
    p.meter.relayControl('trip', p.meter.meterNow() + 60_000);
    const allow = await plugin.control(command(line, 'a', 'relay-close', 'dlt645-2007', '000000002401'), ctx);
    expect(allow).toEqual({
      commandId: 'a',
      ok: true,
      status: 'unverified',
      detail: 'close allowed; the relay stays open until the customer switches on',
    });
    const direct = await plugin.control(
      command(line, 'd', 'relay-close', 'dlt645-2007', '000000002401', {
        params: { profile: 'dlt645-direct-close' },
      }),
      ctx,
    );
    expect(direct).toMatchObject({ ok: false, error: { code: 'STATE_MISMATCH', retryable: true } });
  });
});

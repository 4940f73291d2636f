import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { ControlResult } from '@quadmeter/sdk';
import { type CommandCall, done, failed } from './control-call.ts';
import { expired, forwardBytes } from './forward.ts';
import { wallTime } from './wall-time.ts';

/**
 * AFN 05 F31: sets the terminal clock to the moment the frame leaves (the terminal then times
 * its meters per its AFN 04 F33). The terminal's confirm is all it reports: unverified.
 */
export async function terminalClock(call: CommandCall): Promise<ControlResult> {
  const { session, config, command } = call;
  const gw = session.gateway;
  const addr = { A1_region: gw?.a1 ?? '', A2_terminal: gw?.a2 ?? 0, A3_master: config.msa };
  let clock = '';
  const frames = await session.exchange(
    (seq) => {
      const now = Date.now();
      if (call.notAfter !== undefined && now >= call.notAfter) throw expired();
      clock = wallTime(now, config.utcOffsetMinutes);
      return gdw.buildControl(addr, 31, 0, seq, { clock }, { pw: config.password });
    },
    { afn: '05', timeoutMs: config.requestTimeoutMs },
  );
  const f = frames[0];
  if (f.afn === '00' && f.units.some((u) => u.fn === 1))
    return done(command, 'unverified', `terminal clock set to ${clock}`);
  return failed(command, 'CONTROL_DENIED', 'the concentrator denied the clock sync', false);
}

/** The terminal waits this long for an answer no meter gives to a broadcast (10 ms units). */
const BROADCAST_WAIT = { value: 20, unit: '10ms' as const };

/**
 * DL/T 645 broadcast time (C=08, address 999999999999) forwarded by AFN 10 F1 on the meter's
 * port: it sets every DL/T 645 meter on that port, and no meter answers, so it is unverified.
 * The time is the meter wall clock when the frame leaves.
 */
export async function meterClock(call: CommandCall): Promise<ControlResult> {
  const { config, command } = call;
  const version = command.ref.protocol === 'dlt645-1997' ? '1997' : '2007';
  let time = '';
  await forwardBytes(
    call.session,
    config,
    { ...call.target, frameTimeout: BROADCAST_WAIT },
    (now) => {
      time = wallTime(now, config.utcOffsetMinutes);
      return dlt645.buildBroadcastTimeSync(time, version);
    },
    { notAfter: call.notAfter },
  );
  return done(
    command,
    'unverified',
    `broadcast time ${time} sent on port ${call.target.port} (every DL/T 645 meter there takes it; none answers)`,
  );
}

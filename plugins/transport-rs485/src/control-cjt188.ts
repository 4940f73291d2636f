import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import type { ControlCommand, ControlResult } from '@quadmeter/sdk';
import { TransportError, wallString, wallToIso } from '@quadmeter/sdk/serial';
import { cjtTransact, wireOptions } from './cjt188-wire.ts';
import { assertLive, confirmed, mismatch, unverified } from './control-result.ts';
import { CLOCK_TOLERANCE_MS } from './control-time.ts';
import type { MeterCall } from './reading.ts';

/**
 * CJ/T 188 valve open/close (C=04 DI A017, 55 / 99); the reply's ST1 bits tell the valve's
 * position: the one asked → confirmed, the other or "abnormal" (stuck) → STATE_MISMATCH, none →
 * unverified.
 */
export async function valve(c: MeterCall, command: ControlCommand, open: boolean): Promise<ControlResult> {
  const { meterType, profile } = wireOptions(c);
  const f = await cjtTransact(c, 'A017', 18, (ser) => {
    const frame = cjt188.buildValveControl(
      meterType,
      c.target.ref.address,
      open ? 'open' : 'close',
      ser,
      profile,
    );
    assertLive(command);
    return frame;
  });
  const state = (f.data.status as { valve?: 'open' | 'closed' | 'abnormal' } | undefined)?.valve;
  const want = open ? 'open' : 'closed';
  if (state === want) return confirmed(command, `valve ${state}`, { valve: state });
  if (state === undefined) return unverified(command, 'acknowledged, unverified');
  return mismatch(command, `valve reports ${state} after ${command.action}`);
}

/** The meter clock of a 901F reply as epoch ms; undefined when the meter cannot report it. */
async function readClock(c: MeterCall): Promise<number | undefined> {
  const { meterType, profile } = wireOptions(c);
  try {
    const f = await cjtTransact(c, '901F', 59, (ser) =>
      cjt188.buildReadData(meterType, c.target.ref.address, '901F', ser, profile),
    );
    const iso = wallToIso(f.data.realtime, c.config.utcOffsetMinutes);
    return iso === undefined ? undefined : Date.parse(iso);
  } catch (e) {
    if (e instanceof TransportError && e.code !== 'ABORTED') return undefined;
    throw e;
  }
}

/**
 * CJ/T 188 write standard time (C=04 DI A015, YYYYMMDDhhmmss at `utcOffsetMinutes`), then the
 * clock of a 901F read: within a minute → confirmed, further → STATE_MISMATCH, none → unverified.
 */
export async function writeTime(c: MeterCall, command: ControlCommand): Promise<ControlResult> {
  const { meterType, profile } = wireOptions(c);
  const at = wallString(Date.now(), c.config.utcOffsetMinutes);
  await cjtTransact(c, 'A015', 16, (ser) => {
    const frame = cjt188.buildWriteData(
      meterType,
      c.target.ref.address,
      'A015',
      ser,
      { realtime: at },
      profile,
    );
    assertLive(command);
    return frame;
  });
  const sent = `meter clock set to ${at}`;
  const clock = await readClock(c);
  if (clock === undefined) return unverified(command, `${sent}; not readable`);
  const drift = Math.round((clock - Date.now()) / 1000);
  if (Math.abs(drift) * 1000 > CLOCK_TOLERANCE_MS)
    return mismatch(command, `${sent}; the meter clock reads ${drift} s off`);
  return confirmed(command, `${sent}; the meter clock reads ${drift} s off`);
}

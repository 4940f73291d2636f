import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import type { ControlCommand, ControlResult } from '@quadmeter/sdk';
import { wallString } from '@quadmeter/sdk/serial';
import { cjtTransact, wireOptions } from './cjt188-wire.ts';
import { assertLive, confirmed, mismatch, unverified } from './control-result.ts';
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

/**
 * CJ/T 188 write standard time (C=04 DI A015, YYYYMMDDhhmmss at `utcOffsetMinutes`); the meter
 * acknowledges with C=84 but its clock is not read back: unverified.
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
  return unverified(command, `meter clock set to ${at}`);
}

import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand, ControlResult } from '@quadmeter/sdk';
import { sendOnly, TransportError, wallOf, wallString, wallToIso, withWake } from '@quadmeter/sdk/serial';
import { credentials } from './control-dlt645.ts';
import { assertLive, confirmed, mismatch, unverified } from './control-result.ts';
import { dltRead, dltTransact } from './dlt645-wire.ts';
import type { MeterCall } from './reading.ts';

/** A meter clock within this of the host's counts as set. */
export const CLOCK_TOLERANCE_MS = 60_000;

/** The meter's clock (04000101 date, 04000102 time) as epoch ms; undefined when it cannot say. */
async function readClock(c: MeterCall): Promise<number | undefined> {
  try {
    const d = await dltRead(c, '04000101', 4);
    const t = await dltRead(c, '04000102', 3);
    const date = (d.value as { date?: unknown } | undefined)?.date;
    const iso = wallToIso(`${String(date)} ${String(t.value)}`, c.config.utcOffsetMinutes);
    return iso === undefined ? undefined : Date.parse(iso);
  } catch (e) {
    if (e instanceof TransportError && e.code !== 'ABORTED') return undefined;
    throw e;
  }
}

const off = (ms: number): string => `${Math.round(ms / 1000)} s`;

/** Writes date and weekday (04000101), then time (04000102), with C=14 and the password. */
async function writeClock(c: MeterCall, command: ControlCommand): Promise<void> {
  const cred = credentials(c, command);
  const now = Date.now();
  const [date, time] = wallString(now, c.config.utcOffsetMinutes).split(' ');
  const weekday = wallOf(now, c.config.utcOffsetMinutes).getUTCDay();
  const address = c.target.ref.address;
  for (const [di, value] of [
    ['04000101', { date, weekday }],
    ['04000102', time],
  ] as const) {
    const frame = dlt645.buildWriteRequest(address, di, value, cred);
    assertLive(command);
    await dltTransact(c, frame, { fn: 'write', replyData: 1, version: '2007' });
  }
}

/**
 * Time sync of a DL/T 645 meter. First the broadcast time (C=08 to 999999999999, data +33): every
 * meter on the line sets its clock to this host's time at `utcOffsetMinutes`, nobody answers. A
 * 2007 meter's clock is then read back: within a minute → confirmed; further off (many meters
 * correct only a few minutes by broadcast) → date and time are written with C=14 and the password
 * and read back again (still off → STATE_MISMATCH); a clock the meter cannot report → unverified.
 * DL/T 645-1997 meters get the broadcast alone (unverified).
 */
export async function timeSync(c: MeterCall, command: ControlCommand): Promise<ControlResult> {
  const v1997 = command.ref.protocol === 'dlt645-1997';
  const at = wallString(Date.now(), c.config.utcOffsetMinutes);
  const frame = withWake(dlt645.buildBroadcastTimeSync(at, v1997 ? '1997' : '2007'), c.profile.wake);
  assertLive(command);
  await sendOnly(c.link, c.line, frame);
  const sent = `broadcast time ${at}`;
  if (v1997) return unverified(command, `${sent} (no reply by design)`);
  const clock = await readClock(c);
  if (clock === undefined) return unverified(command, `${sent}; the meter clock cannot be read`);
  const drift = clock - Date.now();
  if (Math.abs(drift) <= CLOCK_TOLERANCE_MS)
    return confirmed(command, `${sent}; the meter clock reads ${off(drift)} off`);
  await writeClock(c, command);
  const again = await readClock(c);
  if (again === undefined)
    return unverified(command, `${sent} left the clock ${off(drift)} off; written, not readable`);
  const left = again - Date.now();
  if (Math.abs(left) <= CLOCK_TOLERANCE_MS)
    return confirmed(command, `${sent} left the clock ${off(drift)} off; written: ${off(left)} off`);
  return mismatch(command, `the meter clock reads ${off(left)} off after broadcast and write`);
}

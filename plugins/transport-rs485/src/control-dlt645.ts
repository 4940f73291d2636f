import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand, ControlResult, ControlState } from '@quadmeter/sdk';
import { TransportError, wallString } from '@quadmeter/sdk/serial';
import { assertLive, ControlRefusal, confirmed, expiryOf, mismatch, unverified } from './control-result.ts';
import { dltRead, dltTransact } from './dlt645-wire.ts';
import type { MeterCall } from './reading.ts';

/** Status word 3 bits (DL/T 645-2007 04000503). */
const RELAY_OPEN = 0x10;
const PRE_TRIP_ALARM = 0x80;
const KEEP_POWER = 0x1000;

/** The 1C actions and their N1. */
export const RELAY_ACTIONS: Partial<Record<ControlCommand['action'], dlt645.RelayAction | 'close'>> = {
  'relay-trip': 'trip',
  'relay-close': 'close',
  'keep-power': 'keep-power',
  'keep-power-clear': 'keep-power-clear',
  'alarm-on': 'alarm',
  'alarm-off': 'alarm-clear',
};

const HEX8 = /^[0-9A-Fa-f]{8}$/;

/** Password and operator code: the command's params, else the configuration (8 hex digits each). */
export function credentials(c: MeterCall, command: ControlCommand): { password: string; operator: string } {
  const p = command.params ?? {};
  const password = p.password ?? c.config.relayPassword;
  const operator = p.operator ?? c.config.relayOperator;
  if (typeof password !== 'string' || !HEX8.test(password))
    throw new ControlRefusal('PARAMS_INVALID', 'password must be 8 hex digits (level + 6)');
  if (typeof operator !== 'string' || !HEX8.test(operator))
    throw new ControlRefusal('PARAMS_INVALID', 'operator must be 8 hex digits');
  return { password, operator };
}

/** Reads status word 3; undefined when the meter cannot report it (error reply, silence, junk). */
async function readWord3(c: MeterCall): Promise<number | undefined> {
  try {
    const f = await dltRead(c, '04000503', 2);
    const word = typeof f.value === 'string' ? Number.parseInt(f.value, 16) : Number.NaN;
    return Number.isInteger(word) ? word : undefined;
  } catch (e) {
    if (e instanceof TransportError && e.code !== 'ABORTED') return undefined;
    throw e;
  }
}

/**
 * DL/T 645-2007 control (1C): trip, close, alarm, keep-power, valid until the sooner of
 * `commandValidMinutes` from now and the command's expiry. Status word 3 is read back: D4 relay
 * open, D7 alarm, D12 keep-power (a smart-meter extension: a set bit shows the meter reports it;
 * a clear one counts only where the profile says `keepPowerBit`). A meter that cannot report the
 * state leaves the command acknowledged, unverified; one that reports the opposite is STATE_MISMATCH.
 */
export async function relayControl(c: MeterCall, command: ControlCommand): Promise<ControlResult> {
  const action = RELAY_ACTIONS[command.action];
  if (!action) throw new TransportError('ACTION_UNSUPPORTED', `1C has no ${command.action}`);
  const wire = action === 'close' ? c.profile.relayClose : action;
  const expiry = expiryOf(command);
  const window = c.now + c.config.commandValidMinutes * 60_000;
  const validUntil = wallString(Math.min(window, expiry ?? window), c.config.utcOffsetMinutes);
  const frame = dlt645.buildRelayControl(c.target.ref.address, {
    action: wire,
    validUntil,
    ...credentials(c, command),
  });
  assertLive(command);
  await dltTransact(c, frame, { fn: 'relay-control', replyData: 1, version: '2007' });
  const word3 = await readWord3(c);
  if (word3 === undefined) return unverified(command, 'acknowledged, unverified');
  const relay = word3 & RELAY_OPEN ? 'open' : 'closed';
  const alarm = (word3 & PRE_TRIP_ALARM) !== 0;
  const kpSet = (word3 & KEEP_POWER) !== 0;
  const kpReported = kpSet || c.profile.keepPowerBit === true;
  const state: ControlState = { relay, ...(kpReported ? { keepPower: kpSet } : {}) };
  const against = (what: string) => mismatch(command, `meter reports ${what} after ${command.action}`);
  switch (command.action) {
    case 'relay-trip':
      return relay === 'open' ? confirmed(command, 'relay open', state) : against('relay closed');
    case 'relay-close':
      if (relay === 'closed') return confirmed(command, 'relay closed', state);
      if (wire === 'direct-close') return against('relay open');
      // "close allowed": the customer switches the supply on; the relay stays open until then
      return unverified(command, 'close allowed; the relay stays open until the customer switches on');
    case 'alarm-on':
    case 'alarm-off': {
      const want = command.action === 'alarm-on';
      if (alarm !== want) return against(alarm ? 'alarm on' : 'alarm off');
      return confirmed(command, want ? 'alarm on' : 'alarm off', state);
    }
    default: {
      const want = command.action === 'keep-power';
      if (kpSet === want && kpReported)
        return confirmed(command, want ? 'keep-power on' : 'keep-power off', state);
      if (kpSet && !want) return against('keep-power on');
      if (c.profile.keepPowerBit) return against('keep-power off');
      return unverified(command, 'acknowledged; this meter does not report keep-power', { relay });
    }
  }
}

const FREEZE_PATTERN =
  /^(99999999|999999[0-5]\d|9999([01]\d|2[0-3])[0-5]\d|99(0[1-9]|1\d|2[0-8])([01]\d|2[0-3])[0-5]\d)$/;

/**
 * Freeze (2007 C=16): `params.pattern` MMDDhhmm with 99 for "every" ('99999999', the default,
 * freezes now; '9999hhmm' sets the daily freeze time, '99DDhhmm' the monthly one).
 */
export async function freeze(c: MeterCall, command: ControlCommand): Promise<ControlResult> {
  const p = command.params?.pattern ?? '99999999';
  if (typeof p !== 'string' || !FREEZE_PATTERN.test(p))
    throw new ControlRefusal(
      'PARAMS_INVALID',
      `freeze pattern ${JSON.stringify(p)} is not MMDDhhmm with 99s`,
    );
  const frame = dlt645.buildFreeze(c.target.ref.address, p);
  assertLive(command);
  await dltTransact(c, frame, { fn: 'freeze', replyData: 1, version: '2007' });
  return unverified(command, `freeze ${p} acknowledged`);
}

import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand, ControlResult, MeterTarget } from '@quadmeter/sdk';
import { type ByteLink, type SerialLineParams, TransportError, wallString } from '@quadmeter/sdk/serial';
import { cjtTransact, wireOptions } from './cjt188-wire.ts';
import type { Rs485Config } from './config.ts';
import { dltRead, dltTransact } from './dlt645-wire.ts';
import { profileFor } from './profiles.ts';
import type { MeterCall } from './reading.ts';

const RELAY: Partial<Record<ControlCommand['action'], 'trip' | 'close' | 'keep-power' | 'keep-power-clear'>> =
  {
    'relay-trip': 'trip',
    'relay-close': 'close',
    'keep-power': 'keep-power',
    'keep-power-clear': 'keep-power-clear',
  };

/** A command's call on its line (the same shape a read uses). */
export function controlCall(
  command: ControlCommand,
  link: ByteLink,
  line: SerialLineParams,
  config: Rs485Config,
  signal: AbortSignal,
): MeterCall {
  const target: MeterTarget = { meterId: command.meterId, ref: command.ref, params: command.params };
  return {
    link,
    line,
    target,
    signal,
    config,
    profile: profileFor(command.params, line.profile),
    kind: 'realtime',
    now: Date.now(),
  };
}

/** CJ/T 188 valve open/close (A017); the reply's status bits tell the valve's position. */
async function valve(c: MeterCall, command: ControlCommand, open: boolean): Promise<ControlResult> {
  const { meterType, profile } = wireOptions(c);
  const f = await cjtTransact(c, 'A017', 18, (ser) =>
    cjt188.buildValveControl(meterType, c.target.ref.address, open ? 'open' : 'close', ser, profile),
  );
  const state = (f.data.status as { valve?: string } | undefined)?.valve;
  const want = open ? 'open' : 'closed';
  if (state === want) return { commandId: command.id, ok: true, detail: `valve ${state}` };
  if (state === undefined) return { commandId: command.id, ok: true, detail: 'acknowledged, unverified' };
  return {
    commandId: command.id,
    ok: false,
    error: {
      code: 'STATE_MISMATCH',
      message: `valve reports ${state} after ${command.action}`,
      retryable: true,
    },
  };
}

/**
 * DL/T 645-2007 relay control (1C) with the password and operator code from the command's params
 * or the configuration, valid for `commandValidMinutes`; then status word 3 is read back (bit 4:
 * relay open). A meter that cannot report it leaves the command acknowledged, unverified.
 */
async function relay(
  c: MeterCall,
  command: ControlCommand,
  action: NonNullable<(typeof RELAY)['relay-trip']>,
) {
  const p = command.params ?? {};
  const wire = action === 'close' ? c.profile.relayClose : action;
  const validUntil = wallString(c.now + c.config.commandValidMinutes * 60_000, c.config.utcOffsetMinutes);
  const frame = dlt645.buildRelayControl(c.target.ref.address, {
    action: wire,
    validUntil,
    password: typeof p.password === 'string' ? p.password : c.config.relayPassword,
    operator: typeof p.operator === 'string' ? p.operator : c.config.relayOperator,
  });
  await dltTransact(c, frame, { fn: 'relay-control', replyData: 1, version: '2007' });
  let word3: number;
  try {
    const f = await dltRead(c, '04000503', 2);
    word3 = typeof f.value === 'string' ? Number.parseInt(f.value, 16) : Number.NaN;
  } catch (e) {
    if (e instanceof TransportError && e.code !== 'ABORTED')
      return { commandId: command.id, ok: true as const, detail: 'acknowledged, unverified' };
    throw e;
  }
  if (!Number.isInteger(word3))
    return { commandId: command.id, ok: true as const, detail: 'acknowledged, unverified' };
  const state = word3 & 0x10 ? 'open' : 'closed';
  const expected =
    action === 'trip' ? 'open' : action === 'close' && wire === 'direct-close' ? 'closed' : undefined;
  if (expected && state !== expected)
    return {
      commandId: command.id,
      ok: false as const,
      error: {
        code: 'STATE_MISMATCH',
        message: `relay reports ${state} after ${command.action}`,
        retryable: true,
      },
    };
  return { commandId: command.id, ok: true as const, detail: `relay ${state}` };
}

/** Runs one command on a meter whose line the caller holds. */
export async function runControl(c: MeterCall, command: ControlCommand): Promise<ControlResult> {
  const protocol = command.ref.protocol;
  if (protocol === 'cjt188' && (command.action === 'valve-open' || command.action === 'valve-close'))
    return valve(c, command, command.action === 'valve-open');
  const relayAction = RELAY[command.action];
  if ((protocol === 'dlt645-2007' || protocol === 'dlt645') && relayAction)
    return relay(c, command, relayAction);
  throw new TransportError(
    'ACTION_UNSUPPORTED',
    `${protocol} meters on this transport do not take ${command.action}`,
  );
}

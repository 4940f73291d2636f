import { FORWARD_BAUDS } from '@quadmeter/protocols/gdw1376/fn-afn10.ts';
import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { ControlCommand, ControlResult, ControlState, ControlStatus } from '@quadmeter/sdk';
import type { Gdw1376Config } from './config.ts';
import type { ForwardTarget } from './forward.ts';
import type { MasterStation } from './master.ts';
import type { Session } from './session.ts';

/** One command on its way: the concentrator's session, the meter's port and the expiry. */
export interface CommandCall {
  master: MasterStation;
  config: Gdw1376Config;
  session: Session;
  command: ControlCommand;
  target: ForwardTarget;
  /** epoch ms after which nothing of the command may go on the wire */
  notAfter?: number;
}

/** A successful outcome with the contract's status (confirmed: `state` was read back and matches). */
export function done(
  command: ControlCommand,
  status: ControlStatus,
  detail: string,
  state?: ControlState,
): ControlResult {
  return { commandId: command.id, ok: true, status, ...(state ? { state } : {}), detail };
}

export function failed(
  command: ControlCommand,
  code: string,
  message: string,
  retryable: boolean,
): ControlResult {
  return { commandId: command.id, ok: false, error: { code, message, retryable } };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Per-meter wire options a command may carry in `params` (the same names the meter's reading
 * params use): `password` / `operator` for DL/T 645 1C (8 hex digits each), `relayClose`
 * ('allow-close' | 'direct-close'), `meterType` (CJ/T 188 T byte, AA by default), `diOrder`
 * ('standard' | 'swapped'), `baudRate` of the meter port.
 */
export function wireParams(command: ControlCommand) {
  const p = command.params ?? {};
  const t = p.meterType;
  return {
    password: str(p.password),
    operator: str(p.operator),
    relayClose: p.relayClose === 'direct-close' ? ('direct-close' as const) : ('allow-close' as const),
    meterType: typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 0xff ? t : 0xaa,
    diOrder: p.diOrder === 'swapped' ? ('swapped' as const) : ('standard' as const),
  };
}

/** The meter port's settings: 8E1 at `params.baudRate` when the terminal can forward at it, else 2400. */
export function portSerial(command: ControlCommand): gdw.SerialSettings {
  const b = command.params?.baudRate;
  const ok = typeof b === 'number' && (FORWARD_BAUDS as readonly number[]).includes(b);
  return ok ? { ...gdw.DLT645_SERIAL, baud: b } : gdw.DLT645_SERIAL;
}

import type { ControlCommand, ControlResult, ControlState, TransportFailure } from '@quadmeter/sdk';

/**
 * A command the transport refuses before or between frames, with its own failure code (codes the
 * serial TransportError does not know: COMMAND_EXPIRED, PARAMS_INVALID).
 */
export class ControlRefusal extends Error {
  readonly failure: TransportFailure;
  constructor(code: 'COMMAND_EXPIRED' | 'PARAMS_INVALID', message: string) {
    super(message);
    this.name = 'ControlRefusal';
    this.failure = { code, message, retryable: false };
  }
}

/** The state was read back from the meter and matches the command. */
export function confirmed(command: ControlCommand, detail: string, state?: ControlState): ControlResult {
  return { commandId: command.id, ok: true, status: 'confirmed', ...(state ? { state } : {}), detail };
}

/** The meter acknowledged (or, for a broadcast, was sent) the command but cannot report its effect. */
export function unverified(command: ControlCommand, detail: string, state?: ControlState): ControlResult {
  return { commandId: command.id, ok: true, status: 'unverified', ...(state ? { state } : {}), detail };
}

/** The meter acknowledged but reports the opposite state (retryable: the command may be sent again). */
export function mismatch(command: ControlCommand, message: string): ControlResult {
  return { commandId: command.id, ok: false, error: { code: 'STATE_MISMATCH', message, retryable: true } };
}

/** The command's expiry as epoch ms (undefined: none); an expiry that is no instant is refused. */
export function expiryOf(command: ControlCommand): number | undefined {
  if (command.expiresAt === undefined) return undefined;
  const ms = Date.parse(command.expiresAt);
  if (Number.isNaN(ms))
    throw new ControlRefusal('PARAMS_INVALID', `expiresAt "${String(command.expiresAt)}" is not an instant`);
  return ms;
}

/** Throws COMMAND_EXPIRED when the command's expiry has passed: it must not reach the wire. */
export function assertLive(command: ControlCommand, now = Date.now()): void {
  const until = expiryOf(command);
  if (until !== undefined && until <= now)
    throw new ControlRefusal(
      'COMMAND_EXPIRED',
      `command ${command.id} expired at ${command.expiresAt}; not sent`,
    );
}

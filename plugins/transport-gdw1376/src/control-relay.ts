import type { RelayAction } from '@quadmeter/protocols/dlt645/index.ts';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand, ControlResult } from '@quadmeter/sdk';
import { type CommandCall, done, failed, wireParams } from './control-call.ts';
import { LinkError } from './failure.ts';
import { forwardFrame } from './forward.ts';
import { wallTime } from './wall-time.ts';

/** DL/T 645-2007 1C N1 per action; relay-close is allow-close (1B) unless `params.relayClose` says direct. */
export function relayActionOf(command: ControlCommand): RelayAction | undefined {
  switch (command.action) {
    case 'relay-trip':
      return 'trip';
    case 'relay-close':
      return wireParams(command).relayClose;
    case 'keep-power':
      return 'keep-power';
    case 'keep-power-clear':
      return 'keep-power-clear';
    case 'alarm-on':
      return 'alarm';
    case 'alarm-off':
      return 'alarm-clear';
    default:
      return undefined;
  }
}

/** Status word 3 (04000503): D4 relay open (断), D6 the relay command is trip. */
const RELAY_OPEN = 0x10;
const COMMAND_TRIP = 0x40;

/**
 * Status word 3 read back through the same forwarding, or why it could not be: a meter without
 * the item, a silent meter, a link failure after the command was taken.
 */
async function readStatusWord3(call: CommandCall): Promise<number | string> {
  try {
    const address = call.command.ref.address;
    const reply = await forwardFrame(
      call.session,
      call.config,
      call.target,
      dlt645.buildReadRequest(address, '04000503'),
    );
    if (!reply) return 'the meter did not answer the status read';
    if (reply.address !== address) return 'another meter answered the status read';
    if (reply.error || reply.di !== '04000503' || typeof reply.value !== 'string')
      return 'the meter does not report status word 3';
    const word = Number.parseInt(reply.value, 16);
    return Number.isInteger(word) ? word : 'status word 3 did not decode';
  } catch (e) {
    if (e instanceof LinkError) return `the status read failed: ${e.message}`;
    throw e;
  }
}

/**
 * A DL/T 645-2007 relay, alarm or keep-power command (C=1C) forwarded by AFN 10 F1, valid until
 * the sooner of `commandValidMinutes` from the moment it is sent and the command's own expiry.
 * Trip and close are then confirmed by status word 3 read back the same way (D4: relay open);
 * an allow-close the meter armed but did not close yet (D6 back to close) stays unverified.
 * Alarm and keep-power carry no state the meter reports in a standard way: unverified.
 */
export async function relayCommand(call: CommandCall, action: RelayAction): Promise<ControlResult> {
  const { command, config } = call;
  const p = wireParams(command);
  const frame = (now: number) => {
    const until = Math.min(
      now + config.commandValidMinutes * 60_000,
      call.notAfter ?? Number.POSITIVE_INFINITY,
    );
    return dlt645.buildRelayControl(command.ref.address, {
      action,
      validUntil: wallTime(until, config.utcOffsetMinutes),
      password: p.password,
      operator: p.operator,
    });
  };
  const reply = await forwardFrame(call.session, config, call.target, frame, {
    notAfter: call.notAfter,
  });
  if (!reply) throw new LinkError('NO_REPLY', `meter ${command.ref.address} did not answer`, true);
  if (reply.function !== 'relay-control' || reply.address !== command.ref.address)
    throw new LinkError(
      'METER_FRAME_INVALID',
      `the answer is not meter ${command.ref.address}'s 1C reply`,
      true,
    );
  if (reply.error)
    return failed(
      command,
      'METER_REFUSED',
      `meter refused: ${(reply.errors ?? []).join(', ') || 'error'}`,
      false,
    );
  if (action !== 'trip' && action !== 'allow-close' && action !== 'direct-close')
    return done(command, 'unverified', `meter took ${action}; it reports no standard state for it`);
  const word = await readStatusWord3(call);
  if (typeof word === 'string') return done(command, 'unverified', `meter took ${action}; ${word}`);
  const relay = word & RELAY_OPEN ? ('open' as const) : ('closed' as const);
  const want = action === 'trip' ? 'open' : 'closed';
  if (relay === want)
    return done(command, 'confirmed', `relay ${relay} (status word 3 ${hex4(word)})`, { relay });
  // no state: the open relay is the expected wait for the customer, not a failed close to send again
  if (action === 'allow-close' && !(word & COMMAND_TRIP))
    return done(command, 'unverified', 'close allowed; the relay stays open until closed at the meter');
  return failed(
    command,
    'STATE_MISMATCH',
    `relay reports ${relay} after ${command.action} (status word 3 ${hex4(word)})`,
    true,
  );
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

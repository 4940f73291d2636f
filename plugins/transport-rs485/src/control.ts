import type { ControlCommand, ControlResult, MeterTarget } from '@quadmeter/sdk';
import { type ByteLink, type SerialLineParams, TransportError } from '@quadmeter/sdk/serial';
import type { Rs485Config } from './config.ts';
import { valve, writeTime } from './control-cjt188.ts';
import { freeze, RELAY_ACTIONS, relayControl } from './control-dlt645.ts';
import { prepaidParams } from './control-prepaid.ts';
import { assertLive } from './control-result.ts';
import { timeSync } from './control-time.ts';
import { profileFor } from './profiles.ts';
import type { MeterCall } from './reading.ts';

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

type Run = (c: MeterCall, command: ControlCommand) => Promise<ControlResult>;

const DLT645_2007: Partial<Record<ControlCommand['action'], Run>> = {
  ...Object.fromEntries(Object.keys(RELAY_ACTIONS).map((a) => [a, relayControl])),
  'time-sync': timeSync,
  freeze,
  'prepaid-params': prepaidParams,
};

/** What each protocol takes. */
const ACTIONS: Record<string, Partial<Record<ControlCommand['action'], Run>>> = {
  cjt188: {
    'valve-open': (c, command) => valve(c, command, true),
    'valve-close': (c, command) => valve(c, command, false),
    'time-sync': writeTime,
  },
  'dlt645-2007': DLT645_2007,
  dlt645: DLT645_2007,
  'dlt645-1997': { 'time-sync': timeSync },
};

/**
 * Runs one command on a meter whose line the caller holds. A command past its `expiresAt` never
 * reaches the wire (COMMAND_EXPIRED, checked again before every frame); an action the meter's
 * protocol has no frame for is ACTION_UNSUPPORTED.
 */
export async function runControl(c: MeterCall, command: ControlCommand): Promise<ControlResult> {
  const protocol = command.ref.protocol;
  const takes = Object.hasOwn(ACTIONS, protocol) ? ACTIONS[protocol] : undefined;
  const run = takes && Object.hasOwn(takes, command.action) ? takes[command.action] : undefined;
  if (!run)
    throw new TransportError(
      'ACTION_UNSUPPORTED',
      `${protocol} meters on this transport do not take ${command.action}`,
    );
  assertLive(command, c.now);
  return run(c, command);
}

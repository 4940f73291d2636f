import type { RelayAction } from '@quadmeter/protocols/dlt645/index.ts';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand, ControlResult, GatewayAddress } from '@quadmeter/sdk';
import { type CommandCall, done, failed, portSerial } from './control-call.ts';
import { relayActionOf, relayCommand } from './control-relay.ts';
import { meterClock, terminalClock } from './control-time.ts';
import { valveCommand } from './control-valve.ts';
import { asFailure, LinkError, offline } from './failure.ts';
import { forwardFrame } from './forward.ts';
import { gatewayAddress, gatewayKey, meterPort } from './gateway.ts';
import type { MasterStation } from './master.ts';

export { wallTime } from './wall-time.ts';

/** What a command becomes on the wire. */
type Plan =
  | { kind: 'terminal-clock' }
  | { kind: 'meter-clock' }
  | { kind: 'relay'; action: RelayAction }
  | { kind: 'valve'; open: boolean }
  | { kind: 'freeze' };

const DLT645 = new Set(['dlt645-2007', 'dlt645-1997']);

/**
 * The wire plan of a command for the meter's protocol, or undefined when this transport cannot
 * carry it: time sync of the terminal (`params.target: 'terminal'`, through any of its meters'
 * commands) or of a DL/T 645 meter (broadcast time on its port); 1C relay, alarm and keep-power
 * and freeze to DL/T 645-2007 meters; valves to CJ/T 188 meters.
 */
function planOf(command: ControlCommand): Plan | undefined {
  const protocol = command.ref.protocol;
  if (command.action === 'time-sync' && command.params?.target === 'terminal')
    return { kind: 'terminal-clock' };
  if (command.action === 'time-sync') return DLT645.has(protocol) ? { kind: 'meter-clock' } : undefined;
  if (protocol === 'dlt645-2007') {
    const action = relayActionOf(command);
    if (action) return { kind: 'relay', action };
    if (command.action === 'freeze') return { kind: 'freeze' };
  }
  if (protocol === 'cjt188' && (command.action === 'valve-open' || command.action === 'valve-close'))
    return { kind: 'valve', open: command.action === 'valve-open' };
  return undefined;
}

/** The concentrator a command names: its line's gateway, else its concentrator route. */
function commandGateway(command: ControlCommand): GatewayAddress | undefined {
  const own = gatewayAddress(command.line?.gateway);
  if (own) return own;
  const r = command.route;
  return r?.via === 'concentrator'
    ? gatewayAddress({ id: '', protocol: 'gdw1376', address: `${r.gateway.a1}-${r.gateway.a2}` })
    : undefined;
}

/** The command's expiry as epoch ms; undefined when it has none; NaN when it does not parse. */
function expiryOf(command: ControlCommand): number | undefined {
  return command.expiresAt === undefined ? undefined : Date.parse(command.expiresAt);
}

/** Freeze now (2007 C=16, 99999999): the meter's normal answer is all it reports. */
async function freeze(call: CommandCall): Promise<ControlResult> {
  const { command } = call;
  const reply = await forwardFrame(
    call.session,
    call.config,
    call.target,
    dlt645.buildFreeze(command.ref.address, '99999999'),
    { notAfter: call.notAfter },
  );
  if (!reply) throw new LinkError('NO_REPLY', `meter ${command.ref.address} did not answer`, true);
  if (reply.error)
    return failed(
      command,
      'METER_REFUSED',
      `meter refused: ${(reply.errors ?? []).join(', ') || 'error'}`,
      false,
    );
  return done(command, 'unverified', 'meter froze its registers');
}

/**
 * A control command through the concentrator the command's line (or route) names, to the meter
 * on the terminal port `params.port` (else `forwardPort`). Nothing goes on the wire once
 * `expiresAt` has passed (COMMAND_EXPIRED), also while the command waits for the link behind
 * others; results follow the contract: confirmed by read-back, unverified, or a stable failure.
 */
export async function controlThrough(master: MasterStation, command: ControlCommand): Promise<ControlResult> {
  try {
    const plan = planOf(command);
    if (!plan)
      return failed(
        command,
        'CONTROL_UNSUPPORTED',
        `${command.action} is not a concentrator command for ${command.ref.protocol} meters`,
        false,
      );
    const notAfter = expiryOf(command);
    if (notAfter !== undefined && Number.isNaN(notAfter))
      return failed(command, 'COMMAND_INVALID', `expiresAt '${command.expiresAt}' is not an instant`, false);
    if (notAfter !== undefined && Date.now() >= notAfter)
      return failed(command, 'COMMAND_EXPIRED', `the command expired at ${command.expiresAt}`, false);
    const gw = commandGateway(command);
    const session = gw && master.session(gw);
    if (!session || session.tenantId !== command.tenantId) throw offline(gw ? gatewayKey(gw) : '(none)');
    const call: CommandCall = {
      master,
      config: master.config,
      session,
      command,
      notAfter,
      target: {
        address: command.ref.address,
        port: meterPort(command) ?? master.config.forwardPort,
        serial: portSerial(command),
      },
    };
    switch (plan.kind) {
      case 'terminal-clock':
        return await terminalClock(call);
      case 'meter-clock':
        return await meterClock(call);
      case 'relay':
        return await relayCommand(call, plan.action);
      case 'valve':
        return await valveCommand(call, plan.open);
      case 'freeze':
        return await freeze(call);
    }
  } catch (e) {
    return { commandId: command.id, ok: false, error: asFailure(e) };
  }
}

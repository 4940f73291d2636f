import type { RelayAction } from '@quadmeter/protocols/dlt645/index.ts';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { ControlCommand, ControlResult } from '@quadmeter/sdk';
import { asFailure, LinkError, offline } from './failure.ts';
import { forwardFrame } from './forward.ts';
import { gatewayAddress, gatewayKey, meterPort } from './gateway.ts';
import type { MasterStation } from './master.ts';

/** Meter relay actions, sent as DL/T 645 C=1C frames through AFN 10 F1 forwarding. */
const RELAY: Partial<Record<ControlCommand['action'], RelayAction>> = {
  'relay-trip': 'trip',
  'relay-close': 'allow-close',
  'keep-power': 'keep-power',
  'keep-power-clear': 'keep-power-clear',
};

const p2 = (n: number): string => String(n).padStart(2, '0');

/** An instant as the terminal's wall clock 'YYYY-MM-DD HH:MM:SS'. */
export function wallTime(ms: number, offsetMin: number): string {
  const d = new Date(ms + offsetMin * 60_000);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** AFN 05 F31: sets the terminal clock (the terminal then times its meters per its AFN 04 F33). */
async function clockSync(master: MasterStation, command: ControlCommand): Promise<ControlResult> {
  const gw = gatewayAddress(command.line?.gateway);
  const session = gw && master.session(gw);
  if (!session) throw offline(gw ? gatewayKey(gw) : '(none)');
  const c = master.config;
  const addr = {
    A1_region: session.gateway?.a1 ?? '',
    A2_terminal: session.gateway?.a2 ?? 0,
    A3_master: c.msa,
  };
  const clock = wallTime(Date.now(), c.utcOffsetMinutes);
  const frames = await session.exchange(
    (seq) => gdw.buildControl(addr, 31, 0, seq, { clock }, { pw: c.password }),
    { afn: '05', timeoutMs: c.requestTimeoutMs },
  );
  const f = frames[0];
  const ok = f.afn === '00' && f.units.some((u) => u.fn === 1);
  return ok
    ? { commandId: command.id, ok: true, detail: `terminal clock set to ${clock}` }
    : {
        commandId: command.id,
        ok: false,
        error: {
          code: 'CONTROL_DENIED',
          message: 'the concentrator denied the clock sync',
          retryable: false,
        },
      };
}

/** A DL/T 645 command to one meter through AFN 10 F1; the meter's normal answer is success. */
async function meterCommand(
  master: MasterStation,
  command: ControlCommand,
  frame: Uint8Array,
): Promise<ControlResult> {
  const gw = gatewayAddress(command.line?.gateway);
  const session = gw && master.session(gw);
  if (!session) throw offline(gw ? gatewayKey(gw) : '(none)');
  const port = meterPort(command) ?? master.config.forwardPort;
  const reply = await forwardFrame(session, master.config, { address: command.ref.address, port }, frame);
  if (!reply) throw new LinkError('NO_REPLY', `meter ${command.ref.address} did not answer`, true);
  if (reply.error)
    return {
      commandId: command.id,
      ok: false,
      error: {
        code: 'METER_REFUSED',
        message: `meter refused: ${(reply.errors ?? []).join(', ') || 'error'}`,
        retryable: false,
      },
    };
  return { commandId: command.id, ok: true, detail: `meter answered ${reply.function}` };
}

/**
 * A control command through the concentrator: clock sync as AFN 05 F31 to the terminal; relay
 * and keep-power as DL/T 645 C=1C and freeze as C=16 to the meter through AFN 10 forwarding.
 * Valve actions do not exist for electricity meters.
 */
export async function controlThrough(master: MasterStation, command: ControlCommand): Promise<ControlResult> {
  try {
    if (command.action === 'time-sync') return await clockSync(master, command);
    const relay = RELAY[command.action];
    const password = typeof command.params?.password === 'string' ? command.params.password : undefined;
    const operator = typeof command.params?.operator === 'string' ? command.params.operator : undefined;
    if (relay) {
      const validUntil = wallTime(Date.now() + 10 * 60_000, master.config.utcOffsetMinutes);
      const frame = dlt645.buildRelayControl(command.ref.address, {
        action: relay,
        validUntil,
        password,
        operator,
      });
      return await meterCommand(master, command, frame);
    }
    if (command.action === 'freeze')
      return await meterCommand(master, command, dlt645.buildFreeze(command.ref.address, '99999999'));
    return {
      commandId: command.id,
      ok: false,
      error: {
        code: 'CONTROL_UNSUPPORTED',
        message: `${command.action} is not a concentrator command`,
        retryable: false,
      },
    };
  } catch (e) {
    return { commandId: command.id, ok: false, error: asFailure(e) };
  }
}

import type { ControlCommand, ControlResult, PluginContext } from '@quadmeter/sdk';
import {
  meterLine,
  parseLineParams,
  TransportError,
  toFailure,
  wallString,
  wallToIso,
} from '@quadmeter/sdk/serial';
import { parseAddress } from './address.ts';
import { configOf, type MbusConfig } from './config.ts';
import { linePool } from './pool.ts';
import { dateOf } from './registers.ts';
import { requestData, sendData, type Wire } from './wire.ts';

/** Type F carries minutes and the meter reports minutes: a clock within this of the host's is set. */
export const CLOCK_TOLERANCE_MS = 2 * 60_000;

/** The meter's date-time record (storage 0) as epoch ms; undefined when it reports none. */
async function readClock(w: Wire, address: ReturnType<typeof parseAddress>, offsetMin: number) {
  try {
    const iso = wallToIso(dateOf((await requestData(w, address)).records ?? [], 0), offsetMin);
    return iso === undefined ? undefined : Date.parse(iso);
  } catch (e) {
    if (e instanceof TransportError && e.code !== 'ABORTED') return undefined;
    throw e;
  }
}

const fail = (command: ControlCommand, code: string, message: string, retryable: boolean): ControlResult => ({
  commandId: command.id,
  ok: false,
  error: { code, message, retryable },
});

/**
 * EN 13757-3 defines no valve or relay command (makers use their own manufacturer data), so those
 * are ACTION_UNSUPPORTED. `time-sync` is the standard date-time write: SND_UD, CI 51, one record
 * DIF 04 VIF 6D (type F, to the minute: this host's time at `utcOffsetMinutes`, rounded to the
 * nearest minute). The meter's E5 is only a link acknowledgement, so its date-time record is read
 * back (REQ_UD2): within two minutes → confirmed, further → STATE_MISMATCH, none → unverified.
 * A command past its `expiresAt` is COMMAND_EXPIRED and never sent.
 */
export async function control(
  command: ControlCommand,
  ctx: PluginContext<MbusConfig>,
): Promise<ControlResult> {
  if (command.action !== 'time-sync')
    return fail(
      command,
      'ACTION_UNSUPPORTED',
      `M-Bus meters on this transport take no ${command.action} command`,
      false,
    );
  const expiry = command.expiresAt === undefined ? undefined : Date.parse(command.expiresAt);
  const expired = () => expiry !== undefined && !(expiry > Date.now());
  if (expired())
    return fail(
      command,
      'COMMAND_EXPIRED',
      `command ${command.id} expired at ${command.expiresAt}; not sent`,
      false,
    );
  try {
    if (!command.line) throw new TransportError('LINE_PARAMS_INVALID', 'the command names no line');
    if (command.ref.protocol !== 'mbus')
      throw new TransportError('PROTOCOL_UNSUPPORTED', `protocol ${command.ref.protocol} is not M-Bus`);
    const address = parseAddress(command.ref.address);
    const config = configOf(ctx.config);
    const line = meterLine(parseLineParams(command.line, config.lines), command.params);
    const latencyMs =
      typeof command.params?.latencyMs === 'number' ? command.params.latencyMs : line.latencyMs;
    return await linePool().withLine(line, async (link) => {
      await link.setBaudRate?.(line.baudRate);
      if (expired())
        return fail(
          command,
          'COMMAND_EXPIRED',
          `command ${command.id} expired at ${command.expiresAt}; not sent`,
          false,
        );
      const at = wallString(Math.round(Date.now() / 60_000) * 60_000, config.utcOffsetMinutes).slice(0, 16);
      const records = { records: [{ vif: '6D', value: at.replace(' ', 'T') }] };
      const w = { link, line, signal: ctx.signal, latencyMs };
      await sendData(w, address, records);
      const clock = await readClock(w, address, config.utcOffsetMinutes);
      const sent = `meter clock set to ${at}`;
      if (clock === undefined)
        return {
          commandId: command.id,
          ok: true as const,
          status: 'unverified' as const,
          detail: `${sent}; not readable`,
        };
      const drift = Math.round((clock - Date.now()) / 1000);
      if (Math.abs(drift) * 1000 > CLOCK_TOLERANCE_MS)
        return fail(command, 'STATE_MISMATCH', `${sent}; the meter clock reads ${drift} s off`, true);
      return {
        commandId: command.id,
        ok: true as const,
        status: 'confirmed' as const,
        detail: `${sent}; the meter clock reads ${drift} s off`,
      };
    });
  } catch (e) {
    return { commandId: command.id, ok: false, error: toFailure(e) };
  }
}

import type { Cjt188Frame } from '@quadmeter/protocols/cjt188/index.ts';
import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import type { ControlResult, ControlState } from '@quadmeter/sdk';
import { type CommandCall, done, failed, wireParams } from './control-call.ts';
import { LinkError } from './failure.ts';
import { type ForwardOptions, forwardBytes } from './forward.ts';

let ser = 0;
/** SER of the next CJ/T 188 frame (one counter for the process). */
function nextSer(): number {
  ser = (ser + 1) & 0xff;
  return ser;
}

/** The reply's address is the one asked (AA bytes in the request match any byte). */
function answers(requested: string, replied: string): boolean {
  if (requested.length !== replied.length) return false;
  for (let i = 0; i < requested.length; i += 2) {
    const r = requested.slice(i, i + 2).toUpperCase();
    if (r !== 'AA' && r !== replied.slice(i, i + 2).toUpperCase()) return false;
  }
  return true;
}

/**
 * One CJ/T 188 request forwarded by AFN 10 F1 and the meter's answer for the same identifier,
 * or undefined when no meter answered.
 */
async function forwardCjt188(
  call: CommandCall,
  di: string,
  frame: Uint8Array,
  o: ForwardOptions = {},
): Promise<Cjt188Frame | undefined> {
  const bytes = await forwardBytes(call.session, call.config, call.target, frame, o);
  if (bytes.length === 0) return undefined;
  const [cut] = cjt188.extractor().push(bytes).frames;
  let f: Cjt188Frame | undefined;
  try {
    f = cut && cjt188.decode(cut);
  } catch {
    f = undefined;
  }
  if (f?.direction !== 'slave->master' || f.di !== di || !answers(call.command.ref.address, f.address))
    throw new LinkError(
      'METER_FRAME_INVALID',
      `no CJ/T 188 ${di} answer from the meter in the forwarded bytes`,
      true,
    );
  return f;
}

type Valve = NonNullable<ControlState['valve']>;

/** ST1 D1D0 as the contract's valve state; 10 (not defined by the standard) gives undefined. */
function valveOf(f: Cjt188Frame): Valve | undefined {
  const v = (f.data.status as { valve?: string } | undefined)?.valve;
  return v === 'open' || v === 'closed' || v === 'abnormal' ? v : undefined;
}

/** The valve as a 901F read through the same forwarding reports it; undefined when it cannot. */
async function readValve(call: CommandCall): Promise<Valve | undefined> {
  const p = wireParams(call.command);
  const frame = cjt188.buildReadData(p.meterType, call.command.ref.address, '901F', nextSer(), {
    diOrder: p.diOrder,
  });
  try {
    const f = await forwardCjt188(call, '901F', frame);
    return f && !f.error ? valveOf(f) : undefined;
  } catch (e) {
    if (e instanceof LinkError) return undefined;
    throw e;
  }
}

/**
 * CJ/T 188 valve open / close (C=04, DI A017, 55 / 99) to a water, gas or heat meter behind the
 * concentrator, forwarded by AFN 10 F1 on the meter's port. The valve state comes from the
 * answer's ST1 bits; a meter whose answer carries none is asked by a 901F read. Matching →
 * confirmed; another state → STATE_MISMATCH (retryable); no state at all → unverified.
 */
export async function valveCommand(call: CommandCall, open: boolean): Promise<ControlResult> {
  const { command } = call;
  const p = wireParams(command);
  const frame = cjt188.buildValveControl(
    p.meterType,
    command.ref.address,
    open ? 'open' : 'close',
    nextSer(),
    {
      diOrder: p.diOrder,
    },
  );
  const f = await forwardCjt188(call, 'A017', frame, { notAfter: call.notAfter });
  if (!f) throw new LinkError('NO_REPLY', `meter ${command.ref.address} did not answer`, true);
  if (f.error) {
    const raw = (f.data.status as { raw?: string } | undefined)?.raw ?? '';
    return failed(
      command,
      'METER_REFUSED',
      `meter refused the valve command (status ${raw || 'none'})`,
      false,
    );
  }
  const valve = valveOf(f) ?? (await readValve(call));
  const want: Valve = open ? 'open' : 'closed';
  if (valve === want) return done(command, 'confirmed', `valve ${valve}`, { valve });
  if (valve === undefined)
    return done(command, 'unverified', 'meter took the valve command; it reports no valve state');
  return failed(command, 'STATE_MISMATCH', `valve reports ${valve} after ${command.action}`, true);
}

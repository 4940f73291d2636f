import { hexToBytes } from '../common/bytes.ts';
import { fail, ProtocolError } from '../common/errors.ts';
import { composeControl, functionCode, hasFunction, parseControl } from './control.ts';
import type { Fields } from './fields.ts';
import { diVersion } from './items.ts';
import { buildLink } from './link.ts';
import { encodePayload } from './payloads.ts';
import type { Direction, Dlt645Frame, Dlt645Version, FunctionName } from './types.ts';

/**
 * What encode accepts: the shape decode returns, or a semantic subset of it.
 * - raw: `{ address, control: '91' | 0x91, data: '00000100...' }` (data without +0x33), optional
 *   `preamble` (number of FE) and `version` (only matters for control 08);
 * - semantic: `{ address, function: 'read', di }` (request), `{ address, function: 'read', di,
 *   value }` (reply), `{ address, function: 'freeze', error: true, errors: [...] }` and so on,
 *   with the fields decode reports for that command (see payloads.ts for each layout).
 * When both are present `control` and `data` win, so decode → encode gives back the same bytes.
 */
export interface Dlt645EncodeInput extends Fields {
  address: string;
  version?: Dlt645Version;
  preamble?: number;
  control?: string | number;
  data?: string;
  function?: FunctionName;
  direction?: Direction;
  error?: boolean;
  follow?: boolean;
}

const READS: readonly string[] = ['read', 'read-follow', 're-read'];

function parseControlInput(control: string | number): number {
  const c =
    typeof control === 'number'
      ? control
      : /^(0x)?[0-9A-Fa-f]{1,2}$/.test(control)
        ? Number.parseInt(control.replace(/^0x/i, ''), 16)
        : Number.NaN;
  if (!Number.isInteger(c) || c < 0 || c > 255)
    fail('ENCODE_INPUT_INVALID', `control ${String(control)} is not a byte`);
  return c;
}

function isReply(input: Dlt645EncodeInput, fn: string): boolean {
  if (input.direction !== undefined) return input.direction === 'slave->master';
  if (input.error === true || input.errorCode !== undefined || input.errors !== undefined) return true;
  if (READS.includes(fn))
    return input.value !== undefined || input.values !== undefined || input.raw !== undefined;
  return fn === 'read-address' && input.meterAddress !== undefined;
}

function controlOf(input: Dlt645EncodeInput): { control: number; version: Dlt645Version } {
  if (input.control !== undefined)
    return { control: parseControlInput(input.control), version: input.version ?? '2007' };
  if (typeof input.function !== 'string') fail('ENCODE_INPUT_INVALID', 'give control or function');
  const version =
    input.version ??
    (typeof input.di === 'string'
      ? diVersion(input.di)
      : hasFunction(input.function, '2007')
        ? '2007'
        : '1997');
  const reply = isReply(input, input.function);
  const error =
    reply && (input.error === true || input.errorCode !== undefined || input.errors !== undefined);
  const code = functionCode(input.function, version);
  return { control: composeControl(code, reply, error, input.follow === true), version };
}

export function encodeFrame(frame: Dlt645EncodeInput | Dlt645Frame): Uint8Array {
  if (!frame || typeof frame !== 'object') fail('ENCODE_INPUT_INVALID', 'input must be an object');
  const input = frame as Dlt645EncodeInput;
  const { control, version } = controlOf(input);
  let c: ReturnType<typeof parseControl>;
  try {
    c = parseControl(control, version);
  } catch (e) {
    if (e instanceof ProtocolError) fail('ENCODE_INPUT_INVALID', e.message);
    throw e;
  }
  const data =
    typeof input.data === 'string'
      ? input.data.replace(/\s/g, '') === ''
        ? new Uint8Array(0)
        : hexToBytes(input.data)
      : encodePayload(input, {
          version: c.version,
          fn: c.name,
          reply: c.direction === 'slave->master',
          error: c.error,
        });
  return buildLink(input.address, control, data, input.preamble ?? 0);
}

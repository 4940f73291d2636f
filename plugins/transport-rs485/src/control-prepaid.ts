import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand, ControlResult } from '@quadmeter/sdk';
import { TransportError } from '@quadmeter/sdk/serial';
import { credentials } from './control-dlt645.ts';
import { assertLive, ControlRefusal, confirmed, mismatch, unverified } from './control-result.ts';
import { dltRead, dltTransact } from './dlt645-wire.ts';
import type { MeterCall } from './reading.ts';

/** The prepaid limits (DL/T 645-2007, 4 bytes BCD XXXXXX.XX yuan each) by their command param. */
export const PREPAID_DI = {
  alarm1: '04001001',
  alarm2: '04001002',
  overdraft: '04001003',
  hoarding: '04001004',
  closePermit: '04001005',
} as const;

type PrepaidKey = keyof typeof PREPAID_DI;
/** XXXXXX.XX yuan: 0 … 999999.99 */
const MAX_FEN = 99_999_999;

const yuan = (fen: number): string => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** The params to write, in DI order; PARAMS_INVALID unless each is whole fen in range and one is given. */
export function prepaidValues(params: Readonly<Record<string, unknown>> | undefined): [PrepaidKey, number][] {
  const out: [PrepaidKey, number][] = [];
  for (const key of Object.keys(PREPAID_DI) as PrepaidKey[]) {
    const v = params?.[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_FEN)
      throw new ControlRefusal('PARAMS_INVALID', `${key} must be whole fen from 0 to ${MAX_FEN}`);
    out.push([key, v]);
  }
  if (out.length === 0)
    throw new ControlRefusal(
      'PARAMS_INVALID',
      `prepaid-params names none of ${Object.keys(PREPAID_DI).join(', ')}`,
    );
  return out;
}

/** Reads one limit back in fen; undefined when the meter cannot report it. */
async function readBack(c: MeterCall, di: string): Promise<number | undefined> {
  try {
    const f = await dltRead(c, di, 4);
    return typeof f.value === 'number' ? Math.round(f.value * 100) : undefined;
  } catch (e) {
    if (e instanceof TransportError && e.code !== 'ABORTED') return undefined;
    throw e;
  }
}

/**
 * Writes the prepaid limits given in `params` (integer fen → yuan) with C=14, password and
 * operator as for relay control, then reads each back with C=11: all match → confirmed; one the
 * meter cannot read → unverified; one that differs → STATE_MISMATCH. A refused write stops there
 * (METER_ERROR, the limits before it already written).
 */
export async function prepaidParams(c: MeterCall, command: ControlCommand): Promise<ControlResult> {
  const values = prepaidValues(command.params);
  const cred = credentials(c, command);
  const address = c.target.ref.address;
  for (const [key, fen] of values) {
    const frame = dlt645.buildWriteRequest(address, PREPAID_DI[key], fen / 100, cred);
    assertLive(command);
    await dltTransact(c, frame, { fn: 'write', replyData: 1, version: '2007' });
  }
  const written = values.map(([k, fen]) => `${k} ${yuan(fen)}`).join(', ');
  const unread: string[] = [];
  for (const [key, fen] of values) {
    const back = await readBack(c, PREPAID_DI[key]);
    if (back === undefined) unread.push(key);
    else if (back !== fen)
      return mismatch(command, `meter reports ${key} ${yuan(back)} yuan after writing ${yuan(fen)}`);
  }
  if (unread.length > 0)
    return unverified(command, `written ${written} yuan; ${unread.join(', ')} not readable`);
  return confirmed(command, `written and read back: ${written} yuan`);
}

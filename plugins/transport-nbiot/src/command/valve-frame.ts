import { createHash } from 'node:crypto';
import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import type { ControlCommand, TransportFailure } from '@quadmeter/sdk';
import type { HeardMeter } from './meter-types.ts';

/** The CJ/T 188 meter type byte when nothing names one: cold water (10H). */
export const DEFAULT_METER_TYPE = 0x10;
/** CJ/T 188 broadcast address (AA bytes match any meter). */
export const BROADCAST = 'AAAAAAAAAAAAAA';

/**
 * The downlink of a valve command: the CJ/T 188 valve control (C=04, DI A017, 55 open / 99 close)
 * a wired meter takes, to a meter behind a radio module of its own.
 * - address: a `cjt188` meter's own address; a meter archived by its link (`linkProtocols`: the
 *   IMEI or DevEUI is its address) by the address its uplinks carried, else the broadcast address
 *   (the module carries one meter);
 * - type: `params.meterType`, else the one its uplinks carried, else cold water;
 * - SER from the command id, so a retry sends the same bytes.
 */
export function valveFrame(
  c: ControlCommand,
  linkProtocols: readonly string[],
  heard: HeardMeter | undefined,
  codePrefix: string,
): Uint8Array | TransportFailure {
  const proto = c.ref.protocol;
  if (c.action !== 'valve-open' && c.action !== 'valve-close')
    return {
      code: 'ACTION_UNSUPPORTED',
      message: `these meters take valve-open and valve-close, not ${c.action}`,
      retryable: false,
    };
  if (proto !== 'cjt188' && !linkProtocols.includes(proto))
    return {
      code: 'ACTION_UNSUPPORTED',
      message: `${proto} meters take no valve command here`,
      retryable: false,
    };
  const own = /^[0-9A-Fa-f]{14}$/.test(c.ref.address) ? c.ref.address.toUpperCase() : undefined;
  if (proto === 'cjt188' && !own)
    return {
      code: `${codePrefix}_ADDRESS_INVALID`,
      message: 'the meter address is not a 14-digit CJ/T 188 address',
      retryable: false,
    };
  const address = own ?? heard?.address ?? BROADCAST;
  const t = c.params?.meterType;
  const meterType =
    typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 0xff
      ? t
      : (heard?.type ?? DEFAULT_METER_TYPE);
  const ser = createHash('sha256').update(c.id).digest()[0];
  return cjt188.buildValveControl(meterType, address, c.action === 'valve-open' ? 'open' : 'close', ser);
}

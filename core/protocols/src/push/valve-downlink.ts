import { createHash } from 'node:crypto';
import * as cjt188 from '../cjt188/index.ts';
import type { DeviceDecode } from './types.ts';

/** What a device's uplinks said about the CJ/T 188 meter behind its radio module. */
export interface HeardMeter {
  /** meter type byte T (water 1x, heat 2x, gas 3x) */
  type: number;
  /** the meter's own 14-digit address */
  address: string;
}

/** The CJ/T 188 meter type byte when nothing names one: cold water (10H). */
export const DEFAULT_METER_TYPE = 0x10;
/** CJ/T 188 broadcast address (AA bytes match any meter). */
export const BROADCAST = 'AAAAAAAAAAAAAA';

/** The CJ/T 188 meter type and address of a decoded uplink frame, when it is one. */
export function cjt188Meter(decoded: DeviceDecode): HeardMeter | undefined {
  if (decoded.protocol !== 'cjt188') return undefined;
  const f = decoded.frame as { meterType?: unknown; address?: unknown };
  return typeof f.meterType === 'number' && typeof f.address === 'string'
    ? { type: f.meterType, address: f.address }
    : undefined;
}

const byScope = new WeakMap<object, Map<string, HeardMeter>>();
const MAX = 100_000;

/**
 * Remembers the meter each device's uplinks carried, by tenant and device id within `scope` (a
 * transport's running context), so a valve command names the type and address the meter answers
 * to: an NB-IoT or LoRa meter is archived by its IMEI or DevEUI; its CJ/T 188 address is only in
 * its frames. A process that has not heard the meter yet knows nothing.
 */
export function rememberMeter(scope: object, tenantId: string, deviceId: string, m: HeardMeter | undefined) {
  if (m === undefined) return;
  const map = byScope.get(scope) ?? new Map<string, HeardMeter>();
  byScope.set(scope, map);
  if (map.size >= MAX) map.clear();
  map.set(`${tenantId}|${deviceId}`, m);
}

export function heardMeter(scope: object, tenantId: string, deviceId: string): HeardMeter | undefined {
  return byScope.get(scope)?.get(`${tenantId}|${deviceId}`);
}

/** A refusal in the shape of a transport failure. */
export interface DownlinkRefusal {
  code: string;
  message: string;
  retryable: false;
}

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
  c: {
    id: string;
    action: string;
    ref: { protocol: string; address: string };
    params?: Readonly<Record<string, unknown>>;
  },
  linkProtocols: readonly string[],
  heard: HeardMeter | undefined,
  codePrefix: string,
): Uint8Array | DownlinkRefusal {
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

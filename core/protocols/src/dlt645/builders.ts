import { BROADCAST_ADDRESS, WILDCARD_ADDRESS } from './address.ts';
import { encodeFrame } from './encode.ts';
import { diVersion, lookupItem } from './items.ts';
import type { Dlt645Version, FunctionName, ItemValue, RelayAction } from './types.ts';

const two = (n: number): string => String(n).padStart(2, '0');

/** A Date as the meter's wall-clock time 'YYYY-MM-DD hh:mm:ss' (local time of this process). */
export function meterTime(date: Date | string): string {
  if (typeof date === 'string') return date;
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Read one data identifier (8 hex digits: 2007 C=11; 4 hex digits: 1997 C=01). */
export function buildReadRequest(
  address: string,
  di: string,
  version: Dlt645Version = diVersion(di),
): Uint8Array {
  return encodeFrame({ address, function: 'read', direction: 'master->slave', di, version });
}

export interface ReadReplyOptions {
  version?: Dlt645Version;
  /** D5: more frames follow (2007 C=B1) */
  follow?: boolean;
  /** answer a follow-up read (2007 C=92) with this sequence number */
  seq?: number;
  preamble?: number;
}

/** A meter's normal reply; `value` as decode gives it (for block identifiers the values object). */
export function buildReadReply(
  address: string,
  di: string,
  value: ItemValue,
  opts: ReadReplyOptions = {},
): Uint8Array {
  const isBlock = lookupItem(di)?.fmt.t === 'block';
  return encodeFrame({
    address,
    function: opts.seq === undefined ? 'read' : 'read-follow',
    direction: 'slave->master',
    version: opts.version ?? diVersion(di),
    di,
    ...(isBlock
      ? { values: value }
      : typeof value === 'string' && !lookupItem(di)
        ? { raw: value }
        : { value }),
    seq: opts.seq,
    follow: opts.follow === true,
    preamble: opts.preamble,
  });
}

/** Abnormal reply (C | 0xC0) with the error word as a number or as error names. */
export function buildErrorReply(
  address: string,
  fn: FunctionName,
  errorBits: number | readonly string[],
  version: Dlt645Version = '2007',
): Uint8Array {
  return encodeFrame({
    address,
    function: fn,
    direction: 'slave->master',
    error: true,
    version,
    ...(typeof errorBits === 'number' ? { errorCode: errorBits } : { errors: [...errorBits] }),
  });
}

/** Broadcast time sync (C=08) to 999999999999; the meter does not answer. */
export function buildBroadcastTimeSync(date: Date | string, version: Dlt645Version = '2007'): Uint8Array {
  return encodeFrame({
    address: BROADCAST_ADDRESS,
    function: 'broadcast-time',
    version,
    time: meterTime(date),
  });
}

/** Read communication address (2007 C=13) to the wildcard address AAAAAAAAAAAA. */
export function buildReadAddress(): Uint8Array {
  return encodeFrame({
    address: WILDCARD_ADDRESS,
    function: 'read-address',
    direction: 'master->slave',
    version: '2007',
  });
}

/**
 * Freeze command (2007 C=16). `pattern` is MMDDhhmm with 99 for "every": '99DDhhmm' monthly,
 * '9999hhmm' daily, '999999mm' hourly, '99999999' freeze now. Address 999999999999 broadcasts.
 */
export function buildFreeze(address: string, pattern: string): Uint8Array {
  return encodeFrame({ address, function: 'freeze', version: '2007', freeze: pattern });
}

export interface RelayControlOptions {
  action: RelayAction;
  /** command expiry, meter wall-clock time */
  validUntil: Date | string;
  /** PA (level) + P2P1P0, 8 hex digits; default 00000000 */
  password?: string;
  /** operator code C3..C0, 8 hex digits; default 00000000 */
  operator?: string;
}

/** Relay / alarm / keep-power control (2007 C=1C, L=16). */
export function buildRelayControl(address: string, opts: RelayControlOptions): Uint8Array {
  return encodeFrame({
    address,
    function: 'relay-control',
    version: '2007',
    action: opts.action,
    validUntil: meterTime(opts.validUntil),
    password: opts.password,
    operator: opts.operator,
  });
}

export interface WriteOptions {
  password?: string;
  operator?: string;
}

/** Write one data identifier (2007 C=14 with operator code; 1997 C=04). */
export function buildWriteRequest(
  address: string,
  di: string,
  value: ItemValue,
  opts: WriteOptions = {},
): Uint8Array {
  const isBlock = lookupItem(di)?.fmt.t === 'block';
  return encodeFrame({
    address,
    function: 'write',
    direction: 'master->slave',
    di,
    ...(isBlock ? { values: value } : { value }),
    password: opts.password,
    operator: opts.operator,
  });
}

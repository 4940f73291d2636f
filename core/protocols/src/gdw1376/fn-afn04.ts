import { bytesToHex, concat, readUintLE, reversed, writeUintLE } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { readingParams } from './fn-f33.ts';
import { fits } from './layouts.ts';
import type { FnDef, FnLayout } from './types.ts';
import { asArray, asHex, asInt, asObject, asString } from './validate.ts';

/** AFN 04 F10 port speeds, D7..D5 of the speed/port byte (0 = the terminal's default). */
export const F10_BAUDS = [0, 600, 1200, 2400, 4800, 7200, 9600, 19200] as const;

export const METER_PROTOCOLS: Record<number, string> = {
  0: 'none',
  1: 'DL/T 645-1997',
  2: 'AC sampling',
  30: 'DL/T 645-2007',
  31: 'narrowband PLC module',
};

/** One meter / AC-sampling device of AFN 04 F10 (27 bytes). */
export interface MeterConfig {
  /** device serial number 1..2040 */
  serial: number;
  /** measuring point it feeds, 0..2040 */
  pn: number;
  /** bps, 0 = terminal default */
  baud: number;
  port: number;
  /** 1 = DL/T 645-1997, 30 = DL/T 645-2007, 2 = AC sampling, 31 = PLC, 0 = none */
  protocol: number;
  protocolName?: string;
  /** communication address, 12 digits */
  address: string;
  /** communication password, 6 bytes hex as sent */
  password: string;
  tariffCount: number;
  /** digits of the energy indication: integer part 4..7, decimals 1..4 */
  integerDigits: number;
  decimalDigits: number;
  /** collector address, 12 digits (000000000000 = none) */
  collector: string;
  userClass: number;
  userSubClass: number;
}

export const METER_SIZE = 27;

function addressText(b: Uint8Array, off: number): string {
  return bytesToHex(reversed(b.subarray(off, off + 6)));
}

function addressBytes(v: unknown, what: string): Uint8Array {
  const s = asString(v, what);
  if (!/^[0-9A-Fa-f]{1,12}$/.test(s)) fail('ENCODE_INPUT_INVALID', `${what} "${s}" is not 1-12 digits`);
  return reversed(asHex(s.padStart(12, '0'), what, 6));
}

function decodeMeter(b: Uint8Array, o: number): MeterConfig {
  return {
    serial: readUintLE(b, o, 2),
    pn: readUintLE(b, o + 2, 2),
    baud: F10_BAUDS[b[o + 4] >> 5],
    port: b[o + 4] & 0x1f,
    protocol: b[o + 5],
    protocolName: METER_PROTOCOLS[b[o + 5]] ?? 'reserved',
    address: addressText(b, o + 6),
    password: bytesToHex(b.subarray(o + 12, o + 18)),
    tariffCount: b[o + 18] & 0x3f,
    integerDigits: ((b[o + 19] >> 2) & 3) + 4,
    decimalDigits: (b[o + 19] & 3) + 1,
    collector: addressText(b, o + 20),
    userClass: b[o + 26] >> 4,
    userSubClass: b[o + 26] & 0x0f,
  };
}

export function encodeMeter(v: unknown, i = 0): Uint8Array {
  const m = asObject(v, `meters[${i}]`);
  const baud = F10_BAUDS.indexOf(asInt(m.baud ?? 0, 0, 19200, 'baud') as (typeof F10_BAUDS)[number]);
  if (baud < 0) fail('ENCODE_INPUT_INVALID', `baud ${String(m.baud)} is not one of ${F10_BAUDS.join(', ')}`);
  const intDigits = asInt(m.integerDigits ?? 6, 4, 7, 'integerDigits');
  const decDigits = asInt(m.decimalDigits ?? 2, 1, 4, 'decimalDigits');
  return concat([
    writeUintLE(asInt(m.serial, 0, 2040, 'serial'), 2),
    writeUintLE(asInt(m.pn, 0, 2040, 'pn'), 2),
    Uint8Array.of((baud << 5) | asInt(m.port, 0, 31, 'port')),
    Uint8Array.of(asInt(m.protocol, 0, 255, 'protocol')),
    addressBytes(m.address, 'address'),
    m.password === undefined ? new Uint8Array(6) : asHex(m.password, 'password', 6),
    Uint8Array.of(asInt(m.tariffCount ?? 4, 0, 63, 'tariffCount')),
    Uint8Array.of(((intDigits - 4) << 2) | (decDigits - 1)),
    addressBytes(m.collector ?? '0', 'collector'),
    Uint8Array.of(
      (asInt(m.userClass ?? 0, 0, 15, 'userClass') << 4) | asInt(m.userSubClass ?? 0, 0, 15, 'userSubClass'),
    ),
  ]);
}

/** F10: count n (2, BIN) then n meter entries. */
export const meterConfig: FnLayout = {
  size(b, off, end) {
    fits(off, 2, end, 'F10 count');
    const len = 2 + readUintLE(b, off, 2) * METER_SIZE;
    fits(off, len, end, 'F10 meters');
    return len;
  },
  decode(b, off) {
    const n = readUintLE(b, off, 2);
    const meters: MeterConfig[] = [];
    for (let i = 0; i < n; i++) meters.push(decodeMeter(b, off + 2 + i * METER_SIZE));
    return { count: n, meters };
  },
  encode(data) {
    const meters = asArray(asObject(data, 'data').meters, 'data.meters');
    if (meters.length > 2040) fail('ENCODE_INPUT_INVALID', 'at most 2040 meters');
    return concat([writeUintLE(meters.length, 2), ...meters.map(encodeMeter)]);
  },
};

/** AFN 04: set parameters (downlink; answered by AFN 00). */
export const AFN04: readonly FnDef[] = [
  { fn: 10, name: 'meter/AC-sampling device configuration', down: meterConfig },
  { fn: 33, name: 'terminal reading parameters per port', down: readingParams },
];

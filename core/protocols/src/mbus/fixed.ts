import { bcdLeToDigits, bytesToHex, concat, fail, need, readUintLE, writeUintLE } from '../common/index.ts';
import { decodeId, encodeId } from './header.ts';
import { mediumName } from './medium.ts';
import type { FixedCounter, MbusFixedData } from './types.ts';
import { applyExponent } from './value.ts';

/**
 * Fixed data structure (CI 73, or 77 with multi-byte fields MSB first), from EN 1434-3 / EN 13757-3:
 * identification (4 BCD), access number, status, medium and units (2 bytes), counter 1, counter 2
 * (4 bytes each, BCD or binary by status bit 7).
 */
export const FIXED_LENGTH = 16;

/** Fixed-structure unit codes: [quantity, unit, exponent]. */
const FIXED_UNITS: readonly [string, string, number][] = [
  ['time', 'h,min,s', 0],
  ['date', 'D,M,Y', 0],
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i): [string, string, number] => ['energy', 'Wh', i]),
  ...[3, 4, 5, 6, 7, 8, 9, 10, 11].map((i): [string, string, number] => ['energy', 'J', i]),
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i): [string, string, number] => ['power', 'W', i]),
  ...[3, 4, 5, 6, 7, 8, 9, 10, 11].map((i): [string, string, number] => ['power', 'J/h', i]),
  ...[-6, -5, -4, -3, -2, -1, 0, 1, 2].map((i): [string, string, number] => ['volume', 'm^3', i]),
  ...[-6, -5, -4, -3, -2, -1, 0, 1, 2].map((i): [string, string, number] => ['volume flow', 'm^3/h', i]),
  ['temperature', '°C', -3],
  ['hca units', '', 0],
  ['reserved', '', 0],
  ['reserved', '', 0],
  ['reserved', '', 0],
  ['reserved', '', 0],
  ['same but historic', '', 0],
  ['without units', '', 0],
];

function counter(b: Uint8Array, o: number, unitCode: number, bcd: boolean, msbFirst: boolean): FixedCounter {
  const bytes = b.slice(o, o + 4);
  if (msbFirst) bytes.reverse();
  const [quantity, unit, exponent] = FIXED_UNITS[unitCode];
  let value: number | null;
  if (bcd) {
    const digits = bcdLeToDigits(bytes, 0, 4, true);
    value = /^[0-9]+$/.test(digits) ? applyExponent(Number(digits), exponent) : null;
  } else {
    value = applyExponent(readUintLE(bytes, 0, 4), exponent);
  }
  return { unitCode, quantity, unit, value, raw: bytesToHex(b.subarray(o, o + 4)) };
}

export function decodeFixed(b: Uint8Array, offset: number, msbFirst = false): MbusFixedData {
  need(b, offset, FIXED_LENGTH, 'fixed data structure');
  const status = b[offset + 5];
  const mu0 = b[offset + 6];
  const mu1 = b[offset + 7];
  const medium = ((mu1 & 0xc0) >> 4) | ((mu0 & 0xc0) >> 6);
  const bcd = (status & 0x80) === 0;
  return {
    id: decodeId(b, offset, msbFirst),
    accessNo: b[offset + 4],
    status,
    counterCoding: bcd ? 'bcd' : 'binary',
    storedValues: (status & 0x40) !== 0,
    medium,
    mediumName: FIXED_MEDIA[medium],
    counters: [
      counter(b, offset + 8, mu0 & 0x3f, bcd, msbFirst),
      counter(b, offset + 12, mu1 & 0x3f, bcd, msbFirst),
    ],
  };
}

/** Medium in the fixed structure is 4 bits. */
const FIXED_MEDIA = Array.from({ length: 16 }, (_, i) => mediumName(i));

export interface FixedInput {
  id: string;
  accessNo?: number;
  status?: number;
  medium?: number;
  counters: [
    { unitCode: number; raw?: string; value?: number | null },
    { unitCode: number; raw?: string; value?: number | null },
  ];
}

function encodeCounter(c: FixedInput['counters'][number], bcd: boolean): Uint8Array {
  if (!Number.isInteger(c.unitCode) || c.unitCode < 0 || c.unitCode > 0x3f)
    fail('ENCODE_INPUT_INVALID', `unit code ${c.unitCode} is not 6-bit`);
  if (c.raw !== undefined) {
    if (typeof c.raw !== 'string' || !/^[0-9A-Fa-f]{8}$/.test(c.raw))
      fail('ENCODE_INPUT_INVALID', `counter raw "${c.raw}" is not 4 bytes of hex`);
    return Uint8Array.from(c.raw.match(/../g)!.map((h) => Number.parseInt(h, 16)));
  }
  const exponent = FIXED_UNITS[c.unitCode][2];
  const n = Math.round(exponent >= 0 ? (c.value ?? 0) / 10 ** exponent : (c.value ?? 0) * 10 ** -exponent);
  if (!(n >= 0 && n <= (bcd ? 99_999_999 : 0xffffffff)))
    fail('ENCODE_INPUT_INVALID', `counter ${c.value} does not fit`);
  return bcd ? encodeId(String(n)) : writeUintLE(n, 4);
}

/** Fixed structure, LSB first (CI 73). Counters are BCD unless status bit 7 is set. */
export function encodeFixed(f: FixedInput): Uint8Array {
  const ok = (c: unknown) => !!c && typeof c === 'object';
  if (!ok(f) || !Array.isArray(f.counters) || f.counters.length !== 2 || !f.counters.every(ok)) {
    fail('ENCODE_INPUT_INVALID', 'fixed data needs id and two counters');
  }
  if (typeof f.id !== 'string') fail('ENCODE_INPUT_INVALID', 'fixed data id must be a string');
  const status = f.status ?? 0;
  const medium = f.medium ?? 0;
  if (!Number.isInteger(medium) || medium < 0 || medium > 15)
    fail('ENCODE_INPUT_INVALID', `fixed medium ${medium} is not 4-bit`);
  const bcd = (status & 0x80) === 0;
  const mu0 = (f.counters[0].unitCode & 0x3f) | ((medium & 0x03) << 6);
  const mu1 = (f.counters[1].unitCode & 0x3f) | ((medium & 0x0c) << 4);
  return concat([
    encodeId(f.id),
    Uint8Array.of(f.accessNo ?? 0, status, mu0, mu1),
    encodeCounter(f.counters[0], bcd),
    encodeCounter(f.counters[1], bcd),
  ]);
}

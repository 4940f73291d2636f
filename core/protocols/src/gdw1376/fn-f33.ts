import { isBcdByte } from '../common/bcd.ts';
import { concat, readUintLE, writeUintLE } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { fits } from './layouts.ts';
import type { FnLayout } from './types.ts';
import { asArray, asInt, asObject, asString } from './validate.ts';

/**
 * AFN 04 F33 / AFN 0A F33 终端抄表运行参数: per terminal port, when and how the concentrator reads
 * its meters (PROTOCOLS-CONTROL.md §1.3). Data unit = n (1) + n port blocks of 14 + 4m bytes.
 */
export interface ReadingSegment {
  /** 'HH:MM' (A.19) */
  start: string;
  end: string;
}

export interface PortReadingParams {
  /** terminal port 1..31 (31 = carrier / PLC port on many terminals) */
  port: number;
  /**
   * 台区集中抄表运行控制字 (BS16): D0 no automatic reading, D1 key users only, D2 broadcast-freeze
   * reading, D3 broadcast time to meters, D4 search new meters, D5 read status words
   */
  control: number;
  /** days of the month the terminal reads, 1..31 */
  days: number[];
  /** time of day of the reading, 'HH:MM' (A.19) */
  time: string;
  /** minutes between readings 1..60 (some 2013 terminals count hours on the carrier port) */
  intervalMinutes: number;
  /** when the terminal broadcasts the time to its meters: day 0 = every day (A.18) */
  broadcast: { day: number; time: string };
  /** periods reading is allowed in, at most 24 */
  segments: ReadingSegment[];
}

export const CONTROL_BITS = {
  noAutoRead: 0x01,
  keyUsersOnly: 0x02,
  broadcastFreeze: 0x04,
  broadcastTime: 0x08,
  searchMeters: 0x10,
  readStatusWords: 0x20,
} as const;

const p2 = (n: number): string => String(n).padStart(2, '0');

function bcd(b: Uint8Array, i: number, what: string): number {
  if (!isBcdByte(b[i]))
    fail('FRAME_FIELD_INVALID', `${what}: byte 0x${b[i].toString(16)} at ${i} is not BCD`, i);
  return (b[i] >> 4) * 10 + (b[i] & 0x0f);
}

const toBcd = (n: number): number => (Math.floor(n / 10) << 4) | (n % 10);

/** A.19 mm hh → 'HH:MM' (24:00 allowed as the end of a day). */
function readHm(b: Uint8Array, off: number, what: string): string {
  return `${p2(bcd(b, off + 1, what))}:${p2(bcd(b, off, what))}`;
}

function writeHm(v: unknown, what: string): Uint8Array {
  const m = /^(\d{2}):(\d{2})$/.exec(asString(v, what));
  const h = m ? Number(m[1]) : -1;
  const mi = m ? Number(m[2]) : -1;
  if (!m || h > 24 || mi > 59 || (h === 24 && mi !== 0))
    fail('ENCODE_INPUT_INVALID', `${what} "${String(v)}" is not HH:MM`);
  return Uint8Array.of(toBcd(mi), toBcd(h));
}

function readDays(b: Uint8Array, off: number): number[] {
  const bits = readUintLE(b, off, 4);
  const days: number[] = [];
  for (let d = 1; d <= 31; d++) if ((bits >>> (d - 1)) & 1) days.push(d);
  return days;
}

function writeDays(v: unknown): Uint8Array {
  let bits = 0;
  for (const d of asArray(v, 'days')) bits |= 1 << (asInt(d, 1, 31, 'day') - 1);
  return writeUintLE(bits >>> 0, 4);
}

function blockSize(b: Uint8Array, off: number, end: number): number {
  fits(off, 14, end, 'F33 port block');
  const len = 14 + b[off + 13] * 4;
  fits(off, len, end, 'F33 segments');
  return len;
}

function decodeBlock(b: Uint8Array, o: number): PortReadingParams {
  const m = b[o + 13];
  const segments: ReadingSegment[] = [];
  for (let i = 0; i < m; i++) {
    const s = o + 14 + i * 4;
    segments.push({ start: readHm(b, s, 'segment start'), end: readHm(b, s + 2, 'segment end') });
  }
  return {
    port: b[o],
    control: readUintLE(b, o + 1, 2),
    days: readDays(b, o + 3),
    time: readHm(b, o + 7, 'reading time'),
    intervalMinutes: b[o + 9],
    broadcast: { day: bcd(b, o + 12, 'broadcast day'), time: readHm(b, o + 10, 'broadcast time') },
    segments,
  };
}

function encodeBlock(v: unknown, i: number): Uint8Array {
  const p = asObject(v, `ports[${i}]`);
  const bc = asObject(p.broadcast ?? { day: 0, time: '00:00' }, 'broadcast');
  const segs = asArray(p.segments ?? [], 'segments');
  if (segs.length > 24) fail('ENCODE_INPUT_INVALID', 'at most 24 reading segments');
  return concat([
    Uint8Array.of(asInt(p.port, 1, 31, 'port')),
    writeUintLE(asInt(p.control ?? 0, 0, 0xffff, 'control'), 2),
    writeDays(p.days ?? []),
    writeHm(p.time, 'time'),
    Uint8Array.of(asInt(p.intervalMinutes, 1, 60, 'intervalMinutes')),
    writeHm(bc.time, 'broadcast.time'),
    Uint8Array.of(toBcd(asInt(bc.day, 0, 31, 'broadcast.day'))),
    Uint8Array.of(segs.length),
    ...segs.map((s, k) => {
      const o = asObject(s, `segments[${k}]`);
      return concat([writeHm(o.start, 'segment start'), writeHm(o.end, 'segment end')]);
    }),
  ]);
}

/** AFN 04 F33 (down) and AFN 0A F33 (up): n (1) + n port blocks. */
export const readingParams: FnLayout = {
  size(b, off, end) {
    fits(off, 1, end, 'F33 count');
    let len = 1;
    for (let i = 0; i < b[off]; i++) len += blockSize(b, off + len, end);
    return len;
  },
  decode(b, off) {
    const ports: PortReadingParams[] = [];
    let o = off + 1;
    for (let i = 0; i < b[off]; i++) {
      ports.push(decodeBlock(b, o));
      o += 14 + b[o + 13] * 4;
    }
    return { ports };
  },
  encode(data) {
    const ports = asArray(asObject(data, 'data').ports, 'data.ports');
    if (ports.length > 31) fail('ENCODE_INPUT_INVALID', 'at most 31 port blocks');
    return concat([Uint8Array.of(ports.length), ...ports.map(encodeBlock)]);
  },
};

/** AFN 0A F33 request: n (1) + n port numbers. */
export const readingParamsQuery: FnLayout = {
  size(b, off, end) {
    fits(off, 1, end, 'F33 query count');
    fits(off, 1 + b[off], end, 'F33 query ports');
    return 1 + b[off];
  },
  decode: (b, off) => ({ ports: [...b.subarray(off + 1, off + 1 + b[off])] }),
  encode(data) {
    const ports = asArray(asObject(data, 'data').ports, 'data.ports');
    if (ports.length > 31) fail('ENCODE_INPUT_INVALID', 'at most 31 ports');
    return Uint8Array.from([ports.length, ...ports.map((p) => asInt(p, 1, 31, 'port'))]);
  },
};

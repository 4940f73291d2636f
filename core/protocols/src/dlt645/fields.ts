/**
 * The fixed fields that command payloads are made of, each with its wire size and its
 * decoded form. All sizes and orders are from DL/T 645-2007 clause 7 and DL/T 645-1997 clause 5.
 */
import { bcdLeToDigits, digitsToBcdLe } from '../common/bcd.ts';
import { bytesToHex, concat, hexToBytes, reversed } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { decodeAddress, encodeAddress } from './address.ts';
import { formatTime, parseTime } from './formats.ts';
import { diFromBytes, diToBytes } from './items.ts';
import type { Dlt645Version, RelayAction } from './types.ts';

/** Relay control N1 codes (2007 clause 7.11 / State Grid filing). */
export const RELAY_ACTIONS: Record<RelayAction, number> = {
  trip: 0x1a,
  'allow-close': 0x1b,
  'direct-close': 0x1c,
  alarm: 0x2a,
  'alarm-clear': 0x2b,
  'keep-power': 0x3a,
  'keep-power-clear': 0x3b,
};

/** Baud-rate feature word Z: one bit per rate (bit 1 = 600 ... bit 6 = 19200). */
export const BAUD_BITS: readonly (readonly [code: number, baud: number])[] = [
  [0x02, 600],
  [0x04, 1200],
  [0x08, 2400],
  [0x10, 4800],
  [0x20, 9600],
  [0x40, 19200],
];

export type Fields = Record<string, unknown>;

export interface FieldCodec {
  size(version: Dlt645Version): number;
  decode(b: Uint8Array, o: number, version: Dlt645Version, out: Fields): void;
  encode(input: Fields, version: Dlt645Version): Uint8Array;
}

const hexField = (n: number): string => `[0-9A-Fa-f]{${n * 2}}`;

function text(input: Fields, key: string, fallback?: string): string {
  const v = input[key] ?? fallback;
  if (typeof v !== 'string') fail('ENCODE_INPUT_INVALID', `"${key}" is required`);
  return v;
}

/** PA P0 P1 P2 → 'PAP2P1P0' (level first, then the password most significant digit first). */
function password(key: string): FieldCodec {
  return {
    size: () => 4,
    decode: (b, o, _v, out) => {
      out[key] = bytesToHex(b.subarray(o, o + 1)) + bytesToHex(reversed(b.subarray(o + 1, o + 4)));
    },
    encode: (input) => {
      const v = text(input, key, key === 'password' ? '00000000' : undefined);
      if (!new RegExp(`^${hexField(4)}$`).test(v))
        fail('ENCODE_INPUT_INVALID', `${key} must be 8 hex digits (level + 6)`);
      return concat([hexToBytes(v.slice(0, 2)), reversed(hexToBytes(v.slice(2)))]);
    },
  };
}

function hexLe(key: string, n: number, fallback?: string): FieldCodec {
  return {
    size: () => n,
    decode: (b, o, _v, out) => {
      out[key] = bytesToHex(reversed(b.subarray(o, o + n)));
    },
    encode: (input) => {
      const v = text(input, key, fallback);
      if (!new RegExp(`^${hexField(n)}$`).test(v))
        fail('ENCODE_INPUT_INVALID', `${key} must be ${n * 2} hex digits`);
      return reversed(hexToBytes(v));
    },
  };
}

function address(key: string): FieldCodec {
  return {
    size: () => 6,
    decode: (b, o, _v, out) => {
      out[key] = decodeAddress(b, o);
    },
    encode: (input) => encodeAddress(text(input, key)),
  };
}

function stamp(key: string, p: 'YYMMDDhhmmss' | 'YYMMDDhhmm'): FieldCodec {
  const n = p.length / 2;
  return {
    size: () => n,
    decode: (b, o, _v, out) => {
      out[key] = formatTime(p, bcdLeToDigits(b, o, n));
    },
    encode: (input) => digitsToBcdLe(parseTime(p, input[key]), n),
  };
}

function byte(key: string, fallback?: number): FieldCodec {
  return {
    size: () => 1,
    decode: (b, o, _v, out) => {
      out[key] = b[o];
    },
    encode: (input) => {
      const v = input[key] ?? fallback;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255)
        fail('ENCODE_INPUT_INVALID', `${key} must be 0-255`);
      return Uint8Array.of(v);
    },
  };
}

export const FIELDS: Record<string, FieldCodec> = {
  di: {
    size: (v) => (v === '2007' ? 4 : 2),
    decode: (b, o, v, out) => {
      out.di = diFromBytes(b, o, v);
    },
    encode: (input, v) => {
      const di = diToBytes(text(input, 'di'));
      if (di.length !== (v === '2007' ? 4 : 2))
        fail('ENCODE_INPUT_INVALID', `DI ${String(input.di)} does not belong to DL/T 645-${v}`);
      return di;
    },
  },
  eventDi: hexLe('eventDi', 4),
  password: password('password'),
  newPassword: password('newPassword'),
  operator: hexLe('operator', 4, '00000000'),
  seq: byte('seq', 0),
  blocks: {
    size: () => 1,
    decode: (b, o, _v, out) => {
      out.blocks = Number(bcdLeToDigits(b, o, 1));
    },
    encode: (input) => digitsToBcdLe(String(input.blocks), 1),
  },
  from: stamp('from', 'YYMMDDhhmm'),
  meterAddress: address('meterAddress'),
  newAddress: address('newAddress'),
  time: stamp('time', 'YYMMDDhhmmss'),
  freeze: {
    size: () => 4,
    decode: (b, o, _v, out) => {
      const pattern = bcdLeToDigits(b, o, 4);
      const kind =
        pattern === '99999999'
          ? 'instant'
          : pattern.startsWith('999999')
            ? 'hourly'
            : pattern.startsWith('9999')
              ? 'daily'
              : pattern.startsWith('99')
                ? 'monthly'
                : 'timed';
      out.freeze = { pattern, kind };
    },
    encode: (input) => {
      const f = input.freeze as { pattern?: unknown } | string | undefined;
      const pattern = typeof f === 'string' ? f : f?.pattern;
      if (typeof pattern !== 'string' || !/^\d{8}$/.test(pattern))
        fail('ENCODE_INPUT_INVALID', 'freeze pattern must be 8 digits MMDDhhmm (99 = every)');
      return digitsToBcdLe(pattern, 4);
    },
  },
  baud: {
    size: () => 1,
    decode: (b, o, _v, out) => {
      out.baudCode = b[o];
      const rate = BAUD_BITS.find(([code]) => code === b[o]);
      if (rate) out.baud = rate[1];
    },
    encode: (input) => {
      if (typeof input.baudCode === 'number') return byte('baudCode').encode(input, '2007');
      const code = BAUD_BITS.find(([, rate]) => rate === input.baud)?.[0];
      if (!code)
        fail('ENCODE_INPUT_INVALID', `baud must be one of ${BAUD_BITS.map(([, rate]) => rate).join(', ')}`);
      return Uint8Array.of(code);
    },
  },
  relay: {
    size: () => 8,
    decode: (b, o, _v, out) => {
      const code = b[o];
      out.actionCode = bytesToHex(b.subarray(o, o + 1));
      out.action = Object.entries(RELAY_ACTIONS).find(([, c]) => c === code)?.[0] ?? 'unknown';
      out.reserved = bytesToHex(b.subarray(o + 1, o + 2));
      out.validUntil = formatTime('YYMMDDhhmmss', bcdLeToDigits(b, o + 2, 6));
    },
    encode: (input) => {
      const named = RELAY_ACTIONS[input.action as RelayAction];
      const code =
        typeof input.actionCode === 'string' && /^[0-9A-Fa-f]{2}$/.test(input.actionCode)
          ? Number.parseInt(input.actionCode, 16)
          : named;
      if (code === undefined)
        fail('ENCODE_INPUT_INVALID', `relay action must be one of ${Object.keys(RELAY_ACTIONS).join(', ')}`);
      const reserved = hexLe('reserved', 1, '00').encode(input, '2007');
      return concat([
        Uint8Array.of(code),
        reserved,
        stamp('validUntil', 'YYMMDDhhmmss').encode(input, '2007'),
      ]);
    },
  },
};

import { concat, readUintLE, writeUintLE } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { forwarded } from './forward-dlt645.ts';
import { fits } from './layouts.ts';
import type { FnDef, FnLayout } from './types.ts';
import { asHex, asInt, asObject } from './validate.ts';

/** Baud rates of the forwarding control word, D7..D5. */
export const FORWARD_BAUDS = [300, 600, 1200, 2400, 4800, 7200, 9600, 19200] as const;

export interface SerialSettings {
  baud: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: number;
  stopBits: 1 | 2;
}

export interface FrameTimeout {
  value: number;
  unit: '10ms' | 's';
}

/** DL/T 645 meters: 2400 bps, 8 data bits, even parity, 1 stop bit (control word 6B). */
export const DLT645_SERIAL: SerialSettings = { baud: 2400, parity: 'even', dataBits: 8, stopBits: 1 };

/** Control word: D7..D5 baud, D4 stop bits (0 = 1, 1 = 2), D3 parity on, D2 odd, D1..D0 data bits − 5. */
export function decodeSerial(w: number): SerialSettings {
  return {
    baud: FORWARD_BAUDS[w >> 5],
    parity: w & 0x08 ? (w & 0x04 ? 'odd' : 'even') : 'none',
    dataBits: (w & 3) + 5,
    stopBits: w & 0x10 ? 2 : 1,
  };
}

export function encodeSerial(v: unknown): number {
  const s = asObject(v, 'serial');
  const baud = FORWARD_BAUDS.indexOf(s.baud as (typeof FORWARD_BAUDS)[number]);
  if (baud < 0)
    fail('ENCODE_INPUT_INVALID', `baud ${String(s.baud)} is not one of ${FORWARD_BAUDS.join(', ')}`);
  const parity = { none: 0, even: 0x08, odd: 0x0c }[String(s.parity)];
  if (parity === undefined) fail('ENCODE_INPUT_INVALID', `parity must be none, even or odd`);
  const stop = asInt(s.stopBits, 1, 2, 'stopBits');
  return (baud << 5) | (stop === 2 ? 0x10 : 0) | parity | (asInt(s.dataBits, 5, 8, 'dataBits') - 5);
}

/** Down: port (1) | control word (1) | frame timeout (1: D7 unit s/10 ms, D6..D0 value) | byte timeout (1, 10 ms) | k (2) | k bytes. */
const request: FnLayout = {
  size(b, off, end) {
    fits(off, 6, end, 'forwarding header');
    const len = 6 + readUintLE(b, off + 4, 2);
    fits(off, len, end, 'forwarded bytes');
    return len;
  },
  decode(b, off, len) {
    return {
      port: b[off],
      serial: decodeSerial(b[off + 1]),
      frameTimeout: { value: b[off + 2] & 0x7f, unit: b[off + 2] & 0x80 ? 's' : '10ms' },
      byteTimeout_10ms: b[off + 3],
      forwarded: forwarded(b.slice(off + 6, off + len)),
    };
  },
  encode(data) {
    const o = asObject(data, 'data');
    const t = asObject(o.frameTimeout, 'frameTimeout');
    if (t.unit !== 's' && t.unit !== '10ms')
      fail('ENCODE_INPUT_INVALID', `frameTimeout.unit must be 's' or '10ms'`);
    const bytes = asHex(asObject(o.forwarded, 'forwarded').hex, 'forwarded.hex');
    return concat([
      Uint8Array.of(
        asInt(o.port, 0, 255, 'port'),
        encodeSerial(o.serial),
        (t.unit === 's' ? 0x80 : 0) | asInt(t.value, 0, 127, 'frameTimeout.value'),
        asInt(o.byteTimeout_10ms, 0, 255, 'byteTimeout_10ms'),
      ),
      lengthPrefixed(bytes),
    ]);
  },
};

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 0xffff) fail('ENCODE_INPUT_INVALID', 'forwarded bytes exceed 65535');
  return concat([writeUintLE(bytes.length, 2), bytes]);
}

/** Up: port (1) | k (2) | the meter's reply, k bytes (k = 0: the meter did not answer). */
const reply: FnLayout = {
  size(b, off, end) {
    fits(off, 3, end, 'forwarding reply header');
    const len = 3 + readUintLE(b, off + 1, 2);
    fits(off, len, end, 'forwarded reply bytes');
    return len;
  },
  decode: (b, off, len) => ({ port: b[off], forwarded: forwarded(b.slice(off + 3, off + len)) }),
  encode(data) {
    const o = asObject(data, 'data');
    const bytes = asHex(asObject(o.forwarded, 'forwarded').hex, 'forwarded.hex');
    return concat([Uint8Array.of(asInt(o.port, 0, 255, 'port')), lengthPrefixed(bytes)]);
  },
};

/** AFN 10: data forwarding. */
export const AFN10: readonly FnDef[] = [{ fn: 1, name: 'transparent forwarding', down: request, up: reply }];

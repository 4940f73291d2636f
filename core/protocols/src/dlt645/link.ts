import { sum8 } from '../common/bytes.ts';
import { fail, need } from '../common/errors.ts';
import { decodeAddress, encodeAddress } from './address.ts';

/** Wake-up byte sent before a frame. */
export const WAKE = 0xfe;
export const START = 0x68;
export const END = 0x16;
/** Data bytes are sent +0x33. */
export const OFFSET = 0x33;
/** Largest data field the standard allows (read replies; writes are limited to 50). */
export const MAX_DATA = 200;
/** 68 A0..A5 68 C L CS 16 */
export const OVERHEAD = 12;

export interface LinkFrame {
  preamble: number;
  address: string;
  control: number;
  /** data field with the +0x33 offset removed */
  data: Uint8Array;
  checksum: number;
}

/**
 * True when bytes[p..end) would be a valid frame if only L were right: it ends in `CS 16` and CS
 * is the sum from p with L replaced by the real data length. Then L, not the line, is at fault.
 */
function endsAt(bytes: Uint8Array, p: number, end: number): boolean {
  if (end - p < OVERHEAD || end - p - OVERHEAD > MAX_DATA || bytes[end - 1] !== END) return false;
  const cs = (sum8(bytes, p, end - 2) - bytes[p + 9] + (end - p - OVERHEAD)) & 0xff;
  return cs === bytes[end - 2];
}

/**
 * Checks and splits one frame (optionally preceded by FE wake-up bytes). Errors, in the order
 * they are checked: FRAME_EMPTY, FRAME_START_INVALID, FRAME_TRUNCATED, FRAME_LENGTH_INVALID (L is
 * over 200, or the frame visibly ends where L says it should not), FRAME_END_INVALID,
 * FRAME_CHECKSUM_INVALID, FRAME_TRAILING_BYTES.
 */
export function parseLink(bytes: Uint8Array): LinkFrame {
  if (bytes.length === 0) fail('FRAME_EMPTY', 'no bytes given');
  let p = 0;
  while (p < bytes.length && bytes[p] === WAKE) p++;
  if (p === bytes.length) fail('FRAME_TRUNCATED', 'only wake-up bytes', p);
  if (bytes[p] !== START) fail('FRAME_START_INVALID', `expected 68 at ${p}, got ${bytes[p].toString(16)}`, p);
  need(bytes, p, 10, 'header');
  if (bytes[p + 7] !== START) fail('FRAME_START_INVALID', `expected the second 68 at ${p + 7}`, p + 7);
  const len = bytes[p + 9];
  if (len > MAX_DATA) fail('FRAME_LENGTH_INVALID', `L = ${len} exceeds ${MAX_DATA}`, p + 9);
  const end = p + OVERHEAD + len;
  if (end > bytes.length) {
    if (endsAt(bytes, p, bytes.length)) {
      fail(
        'FRAME_LENGTH_INVALID',
        `L = ${len} but the frame ends after ${bytes.length - p - OVERHEAD} data bytes`,
        p + 9,
      );
    }
    need(bytes, p, OVERHEAD + len, 'frame');
  }
  if (bytes[end - 1] !== END) {
    if (end < bytes.length && endsAt(bytes, p, bytes.length)) {
      fail(
        'FRAME_LENGTH_INVALID',
        `L = ${len} but the frame ends after ${bytes.length - p - OVERHEAD} data bytes`,
        p + 9,
      );
    }
    fail('FRAME_END_INVALID', `expected 16 at ${end - 1}`, end - 1);
  }
  const cs = sum8(bytes, p, end - 2);
  if (cs !== bytes[end - 2]) {
    fail(
      'FRAME_CHECKSUM_INVALID',
      `checksum ${bytes[end - 2].toString(16)} != computed ${cs.toString(16)}`,
      end - 2,
    );
  }
  if (end < bytes.length)
    fail('FRAME_TRAILING_BYTES', `${bytes.length - end} byte(s) after the end byte`, end);
  const data = new Uint8Array(len);
  for (let i = 0; i < len; i++) data[i] = (bytes[p + 10 + i] - OFFSET) & 0xff;
  return { preamble: p, address: decodeAddress(bytes, p + 1), control: bytes[p + 8], data, checksum: cs };
}

/** Builds the frame bytes; `data` is given without the +0x33 offset. */
export function buildLink(address: string, control: number, data: Uint8Array, preamble = 0): Uint8Array {
  if (!Number.isInteger(preamble) || preamble < 0 || preamble > 16)
    fail('ENCODE_INPUT_INVALID', `preamble ${preamble} is not 0-16`);
  if (!Number.isInteger(control) || control < 0 || control > 255)
    fail('ENCODE_INPUT_INVALID', `control ${control} is not a byte`);
  if (data.length > MAX_DATA)
    fail('ENCODE_INPUT_INVALID', `data is ${data.length} bytes, the limit is ${MAX_DATA}`);
  const out = new Uint8Array(preamble + OVERHEAD + data.length);
  out.fill(WAKE, 0, preamble);
  const p = preamble;
  out[p] = START;
  out.set(encodeAddress(address), p + 1);
  out[p + 7] = START;
  out[p + 8] = control;
  out[p + 9] = data.length;
  for (let i = 0; i < data.length; i++) out[p + 10 + i] = (data[i] + OFFSET) & 0xff;
  out[out.length - 2] = sum8(out, p, out.length - 2);
  out[out.length - 1] = END;
  return out;
}

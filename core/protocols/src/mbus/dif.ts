import { bytesToHex, fail, need } from '../common/index.ts';
import { CODINGS } from './data-field.ts';
import type { DataCoding, RecordFunction } from './types.ts';

/** DIF and DIFE chain of a data record (EN 13757-3 clause "data information block"). */

export const MAX_DIFE = 10;

export const FUNCTIONS: readonly RecordFunction[] = ['instantaneous', 'maximum', 'minimum', 'error'];

export interface ParsedDif {
  end: number;
  hex: string;
  coding: DataCoding;
  function: RecordFunction;
  storage: number;
  tariff: number;
  subunit: number;
}

/** Parses a DIF that is not a special function (low nibble F is handled by the caller). */
export function parseDif(b: Uint8Array, offset: number): ParsedDif {
  need(b, offset, 1, 'DIF');
  const dif = b[offset];
  let storage = (dif >> 6) & 1;
  let tariff = 0;
  let subunit = 0;
  let o = offset + 1;
  let ext = (dif & 0x80) !== 0;
  let n = 0;
  while (ext) {
    need(b, o, 1, 'DIFE');
    if (n >= MAX_DIFE) fail('FRAME_FIELD_INVALID', `more than ${MAX_DIFE} DIFEs`, o);
    const dife = b[o++];
    storage += (dife & 0x0f) * 2 ** (1 + 4 * n);
    tariff += ((dife >> 4) & 0x03) * 2 ** (2 * n);
    subunit += ((dife >> 6) & 0x01) * 2 ** n;
    ext = (dife & 0x80) !== 0;
    n++;
  }
  return {
    end: o,
    hex: bytesToHex(b.subarray(offset, o)),
    coding: CODINGS[dif & 0x0f],
    function: FUNCTIONS[(dif >> 4) & 0x03],
    storage,
    tariff,
    subunit,
  };
}

function checkRange(v: number, max: number, what: string): void {
  if (!Number.isSafeInteger(v) || v < 0 || v > max)
    fail('ENCODE_INPUT_INVALID', `${what} ${v} is outside 0..${max}`);
}

/** Builds DIF + the fewest DIFEs that carry storage, tariff and subunit. */
export function encodeDif(
  coding: DataCoding,
  fn: RecordFunction,
  storage: number,
  tariff: number,
  subunit: number,
): Uint8Array {
  const c = CODINGS.indexOf(coding);
  const f = FUNCTIONS.indexOf(fn);
  if (c < 0 || coding === 'special')
    fail('ENCODE_INPUT_INVALID', `coding "${coding}" cannot start a data record`);
  if (f < 0) fail('ENCODE_INPUT_INVALID', `function "${fn}" is not one of ${FUNCTIONS.join(', ')}`);
  checkRange(storage, 2 ** 41 - 1, 'storage number');
  checkRange(tariff, 2 ** 20 - 1, 'tariff');
  checkRange(subunit, 2 ** 10 - 1, 'subunit');
  const out = [c | (f << 4) | ((storage & 1) << 6)];
  let s = Math.floor(storage / 2);
  let t = tariff;
  let u = subunit;
  while (s > 0 || t > 0 || u > 0) {
    out[out.length - 1] |= 0x80;
    out.push((s % 16) | ((t % 4) << 4) | ((u % 2) << 6));
    s = Math.floor(s / 16);
    t = Math.floor(t / 4);
    u = Math.floor(u / 2);
  }
  return Uint8Array.from(out);
}

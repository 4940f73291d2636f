import { concat, readUintLE, writeUintLE } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { meterConfig } from './fn-afn04.ts';
import { readingParams, readingParamsQuery } from './fn-f33.ts';
import { fits } from './layouts.ts';
import type { FnDef, FnLayout } from './types.ts';
import { asArray, asInt, asObject } from './validate.ts';

/** Serial numbers asked for in one AFN 0A F10 query at most (the count field is 2 bytes, serials 1..2040). */
export const MAX_F10_QUERY = 2040;

/** AFN 0A F10 request: n (2, BIN) + n configuration serial numbers (2 each). */
const meterConfigQuery: FnLayout = {
  size(b, off, end) {
    fits(off, 2, end, 'F10 query count');
    const len = 2 + readUintLE(b, off, 2) * 2;
    fits(off, len, end, 'F10 query serials');
    return len;
  },
  decode(b, off) {
    const n = readUintLE(b, off, 2);
    const serials: number[] = [];
    for (let i = 0; i < n; i++) serials.push(readUintLE(b, off + 2 + i * 2, 2));
    return { serials };
  },
  encode(data) {
    const serials = asArray(asObject(data, 'data').serials, 'data.serials');
    if (serials.length > MAX_F10_QUERY) fail('ENCODE_INPUT_INVALID', `at most ${MAX_F10_QUERY} serials`);
    return concat([
      writeUintLE(serials.length, 2),
      ...serials.map((v, i) => writeUintLE(asInt(v, 1, 2040, `serials[${i}]`), 2)),
    ]);
  },
};

/**
 * AFN 0A: query parameters (downlink without PW, function 11; the terminal answers AFN 0A with the
 * AFN 04 layout of the same Fn).
 */
export const AFN0A: readonly FnDef[] = [
  { fn: 10, name: 'meter/AC-sampling device configuration', down: meterConfigQuery, up: meterConfig },
  { fn: 33, name: 'terminal reading parameters per port', down: readingParamsQuery, up: readingParams },
];

import { concat } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import type { Format } from './formats.ts';
import type { FnLayout } from './types.ts';
import { asObject } from './validate.ts';

/** An Fn that carries no data in this direction (e.g. every AFN 0C request). */
export const EMPTY: FnLayout = {
  size: () => 0,
  decode: () => ({}),
  encode: () => new Uint8Array(0),
};

/** Throws FRAME_TRUNCATED unless `len` bytes fit between `off` and `end`. */
export function fits(off: number, len: number, end: number, what: string): void {
  if (off + len > end) {
    fail('FRAME_TRUNCATED', `${what}: need ${len} byte(s) at offset ${off}, data ends at ${end}`, off);
  }
}

export function getPath(o: Record<string, unknown>, path: string): unknown {
  let cur: unknown = o;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) {
      fail('ENCODE_INPUT_INVALID', `data field "${path}" is missing (null means no data)`);
    }
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function setPath(o: Record<string, unknown>, path: string, v: unknown): void {
  const keys = path.split('.');
  let cur = o;
  for (const key of keys.slice(0, -1)) {
    if (typeof cur[key] !== 'object' || cur[key] === null) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = v;
}

export type Field = readonly [path: string, format: Format<unknown>];

/** A fixed sequence of formatted fields, named by dotted paths in the typed data. */
export function fixedLayout(fields: readonly Field[]): FnLayout {
  const total = fields.reduce((n, [, f]) => n + f.size, 0);
  return {
    size(_b, off, end) {
      fits(off, total, end, 'data unit');
      return total;
    },
    decode(b, off) {
      const out: Record<string, unknown> = {};
      let o = off;
      for (const [path, f] of fields) {
        setPath(out, path, f.read(b, o));
        o += f.size;
      }
      return out;
    },
    encode(data) {
      const o = asObject(data, 'data');
      return concat(fields.map(([path, f]) => f.write(getPath(o, path))));
    },
  };
}

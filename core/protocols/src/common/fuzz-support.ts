import { bytesToHex } from './bytes.ts';
import { ProtocolError, type ProtocolErrorCode } from './errors.ts';

/**
 * Support for the codecs' fuzz tests: a seeded generator, byte-level damage and the check that only
 * ProtocolError escapes. Test-only; not re-exported from the package.
 */

/** Returns floats in [0, 1). */
export type Random = () => number;

/** Seeded PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): Random {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [0, n). */
export function below(rnd: Random, n: number): number {
  return Math.floor(rnd() * n);
}

/** `length` bytes of noise. */
export function randomBytes(rnd: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => below(rnd, 256));
}

/** Noise of random length, 0..`maxLength - 1` bytes. */
export function noise(rnd: Random, maxLength: number): Uint8Array {
  return randomBytes(rnd, below(rnd, maxLength));
}

/** Where a frame starts behind any FE wake-up bytes (DL/T 645, CJ/T 188). */
export function skipPreamble(b: Uint8Array): number {
  let p = 0;
  while (p < b.length && b[p] === 0xfe) p++;
  return p;
}

/** One piece of damage: returns the damaged frame (the input may be changed in place). */
export type Edit = (b: Uint8Array, rnd: Random) => Uint8Array;

/** Replaces one byte with a random value. */
export const setByte: Edit = (b, rnd) => {
  if (b.length) b[below(rnd, b.length)] = below(rnd, 256);
  return b;
};

/** Flips one bit. */
export const flipBit: Edit = (b, rnd) => {
  if (b.length) b[below(rnd, b.length)] ^= 1 << below(rnd, 8);
  return b;
};

/** Cuts the frame short (possibly to nothing). */
export const truncate: Edit = (b, rnd) => b.subarray(0, below(rnd, b.length));

/** Inserts `bytes` at a random place. */
export function insertAt(b: Uint8Array, rnd: Random, bytes: ArrayLike<number>): Uint8Array {
  const at = below(rnd, b.length + 1);
  return Uint8Array.from([...b.subarray(0, at), ...Array.from(bytes), ...b.subarray(at)]);
}

/** Inserts 1..`max` random bytes. */
export function insertBytes(max: number): Edit {
  return (b, rnd) => insertAt(b, rnd, randomBytes(rnd, 1 + below(rnd, max)));
}

/** Deletes 1..`max` bytes. */
export function deleteBytes(max: number): Edit {
  return (b, rnd) => {
    const at = below(rnd, b.length);
    return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + below(rnd, max))]);
  };
}

/** The five generic edits, with insertions and deletions of up to `maxRun` bytes. */
export function byteEdits(maxRun = 1): Edit[] {
  return [setByte, flipBit, truncate, insertBytes(maxRun), deleteBytes(maxRun)];
}

export interface MutateOptions {
  /** edits to pick from, each equally likely; default `byteEdits()` */
  edits?: readonly Edit[];
  /** at most this many edits per frame (at least one); default 4 */
  maxEdits?: number;
  /** makes the framing consistent again (length, checksum, end) so the damage reaches the body */
  repair?: (b: Uint8Array) => Uint8Array;
  /** share of frames repaired; default 0.5 */
  repairRate?: number;
}

/** A damaged copy of `src`: 1..maxEdits random edits, then a repair of the framing some of the time. */
export function mutate(src: Uint8Array, rnd: Random, opts: MutateOptions = {}): Uint8Array {
  const edits = opts.edits ?? byteEdits();
  let b: Uint8Array = src.slice();
  for (let k = 1 + below(rnd, opts.maxEdits ?? 4); k > 0; k--) b = edits[below(rnd, edits.length)](b, rnd);
  return opts.repair && rnd() < (opts.repairRate ?? 0.5) ? opts.repair(b) : b;
}

/**
 * Runs `run`; returns undefined when it completes and the error code when it throws a ProtocolError.
 * Anything else is rethrown, with the input in hex when given, so the failure can be replayed.
 */
export function onlyProtocolErrors(run: () => unknown, input?: Uint8Array): ProtocolErrorCode | undefined {
  try {
    run();
    return undefined;
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    if (input === undefined) throw e;
    throw new Error(`non-ProtocolError on ${bytesToHex(input)}: ${String(e)}`, { cause: e });
  }
}

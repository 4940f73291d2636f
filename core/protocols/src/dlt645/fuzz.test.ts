import { describe, expect, it } from 'vitest';
import { hexToBytes, sum8 } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';
import { fixtures } from './fixtures.ts';
import { codec } from './index.ts';

/** Small seeded generator so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Recomputes CS so a mutation reaches the payload decoder instead of stopping at the checksum. */
function fixChecksum(b: Uint8Array): void {
  let p = 0;
  while (p < b.length && b[p] === 0xfe) p++;
  if (p + 10 > b.length) return;
  const end = p + 12 + b[p + 9];
  if (end <= b.length) b[end - 2] = sum8(b, p, end - 2);
}

describe('dlt645 fuzz', () => {
  it('never throws anything but ProtocolError on 100,000 random and mutated frames', () => {
    const rnd = mulberry32(645);
    const int = (n: number): number => Math.floor(rnd() * n);
    const seeds = fixtures.map((f) => hexToBytes(f.hex));
    const codes = new Map<string, number>();
    let ok = 0;
    let foreign = 0;
    const x = codec.extractor();
    let extracted = 0;
    const started = performance.now();
    for (let n = 0; n < 100_000; n++) {
      let b: Uint8Array;
      const kind = n % 8;
      if (kind === 0) {
        b = Uint8Array.from({ length: int(60) }, () => int(256));
        if (b.length > 0 && rnd() < 0.5) b[0] = 0x68;
      } else {
        const seed = seeds[int(seeds.length)];
        b = seed.slice();
        if (kind === 1) for (let k = 1 + int(3); k > 0; k--) b[int(b.length)] ^= 1 << int(8);
        else if (kind === 2) b = b.subarray(0, int(b.length));
        else if (kind === 3) {
          const at = int(b.length + 1);
          b = Uint8Array.from([...b.subarray(0, at), int(256), ...b.subarray(at)]);
        } else if (kind === 4) {
          const at = int(b.length);
          b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]);
        } else if (kind === 5) {
          const p = b.indexOf(0x68);
          b[p + 9] = int(256);
        } else {
          // payload mutations with a valid checksum: bit flips in the control or data, or L changes
          const p = b.indexOf(0x68);
          const at = p + 8 + int(b.length - p - 10);
          b[at] = kind === 6 ? b[at] ^ (1 << int(8)) : int(256);
          fixChecksum(b);
        }
      }
      try {
        codec.decode(b);
        ok++;
      } catch (e) {
        if (!(e instanceof ProtocolError)) {
          foreign++;
          throw new Error(`non-ProtocolError on ${Buffer.from(b).toString('hex')}: ${String(e)}`);
        }
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
      // the same bytes through the stream splitter, in two chunks; every frame it yields passes the link checks
      const cut = int(b.length + 1);
      for (const chunk of [b.subarray(0, cut), b.subarray(cut)]) {
        for (const frame of x.push(chunk).frames) {
          extracted++;
          try {
            codec.decode(frame);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
            expect(['FRAME_CONTROL_UNKNOWN', 'FRAME_LENGTH_INVALID', 'FRAME_FIELD_INVALID']).toContain(
              (e as ProtocolError).code,
            );
          }
        }
      }
    }
    const ms = performance.now() - started;
    expect(foreign).toBe(0);
    // the mutations reach every layer: framing errors, payload errors and successful decodes
    expect(ok).toBeGreaterThan(10_000);
    for (const c of [
      'FRAME_CHECKSUM_INVALID',
      'FRAME_TRUNCATED',
      'FRAME_START_INVALID',
      'FRAME_END_INVALID',
      'FRAME_LENGTH_INVALID',
      'FRAME_CONTROL_UNKNOWN',
    ]) {
      expect(codes.get(c) ?? 0).toBeGreaterThan(0);
    }
    expect(extracted).toBeGreaterThan(10_000);
    expect(ms).toBeLessThan(10_000);
    console.log(
      `dlt645 fuzz: 100000 inputs in ${ms.toFixed(0)} ms, ${ok} decoded, ${extracted} extracted, errors ${JSON.stringify(Object.fromEntries(codes))}`,
    );
  });
});

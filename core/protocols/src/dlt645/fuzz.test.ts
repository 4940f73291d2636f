import { describe, expect, it } from 'vitest';
import { hexToBytes, sum8 } from '../common/bytes.ts';
import * as fuzz from '../common/fuzz-support.ts';
import { fixtures } from './fixtures.ts';
import { codec } from './index.ts';

/** Recomputes CS so a mutation reaches the payload decoder instead of stopping at the checksum. */
function fixChecksum(b: Uint8Array): void {
  const p = fuzz.skipPreamble(b);
  if (p + 10 > b.length) return;
  const end = p + 12 + b[p + 9];
  if (end <= b.length) b[end - 2] = sum8(b, p, end - 2);
}

describe('dlt645 fuzz', () => {
  it('never throws anything but ProtocolError on 100,000 random and mutated frames', () => {
    const rnd = fuzz.seededRandom(645);
    const int = (n: number): number => fuzz.below(rnd, n);
    const seeds = fixtures.map((f) => hexToBytes(f.hex));
    const codes = new Map<string, number>();
    let ok = 0;
    const x = codec.extractor();
    let extracted = 0;
    const started = performance.now();
    for (let n = 0; n < 100_000; n++) {
      let b: Uint8Array;
      const kind = n % 8;
      if (kind === 0) {
        b = fuzz.noise(rnd, 60);
        if (b.length > 0 && rnd() < 0.5) b[0] = 0x68;
      } else {
        b = seeds[int(seeds.length)].slice();
        if (kind === 1) for (let k = 1 + int(3); k > 0; k--) b = fuzz.flipBit(b, rnd);
        else if (kind === 2) b = fuzz.truncate(b, rnd);
        else if (kind === 3) b = fuzz.insertBytes(1)(b, rnd);
        else if (kind === 4) b = fuzz.deleteBytes(1)(b, rnd);
        else if (kind === 5) {
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
      const code = fuzz.onlyProtocolErrors(() => codec.decode(b), b);
      if (code === undefined) ok++;
      else codes.set(code, (codes.get(code) ?? 0) + 1);
      // the same bytes through the stream splitter, in two chunks; every frame it yields passes the link checks
      const cut = int(b.length + 1);
      for (const chunk of [b.subarray(0, cut), b.subarray(cut)]) {
        for (const frame of x.push(chunk).frames) {
          extracted++;
          const refused = fuzz.onlyProtocolErrors(() => codec.decode(frame), frame);
          if (refused !== undefined) {
            expect(['FRAME_CONTROL_UNKNOWN', 'FRAME_LENGTH_INVALID', 'FRAME_FIELD_INVALID']).toContain(
              refused,
            );
          }
        }
      }
    }
    const ms = performance.now() - started;
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
    console.log(
      `dlt645 fuzz: 100000 inputs in ${ms.toFixed(0)} ms, ${ok} decoded, ${extracted} extracted, errors ${JSON.stringify(Object.fromEntries(codes))}`,
    );
  });
});

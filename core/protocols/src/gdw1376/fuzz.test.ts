import { describe, expect, it } from 'vitest';
import { hexToBytes, sum8 } from '../common/bytes.ts';
import * as fuzz from '../common/fuzz-support.ts';
import { fixtures } from './fixtures.ts';
import { decode, encode, extractor } from './index.ts';

/** Makes L, the second 68, CS and 16 consistent again, so mutations reach the data-unit parser. */
function repair(b: Uint8Array): Uint8Array {
  if (b.length < 16) return b;
  const len = b.length - 8;
  const l = (len << 2) | (b[1] & 3 || 2);
  b[0] = 0x68;
  b[1] = l & 0xff;
  b[2] = (l >> 8) & 0xff;
  b[3] = b[1];
  b[4] = b[2];
  b[5] = 0x68;
  b[b.length - 2] = sum8(b, 6, 6 + len);
  b[b.length - 1] = 0x16;
  return b;
}

/** Sets one byte to EE or FF, the standard's markers for a missing or invalid value. */
const noData: fuzz.Edit = (b, rnd) => {
  if (b.length) b[fuzz.below(rnd, b.length)] = rnd() < 0.5 ? 0xee : 0xff;
  return b;
};
const edits = [...fuzz.byteEdits(6), noData];

describe('fuzz', () => {
  it('100,000 random and mutated frames: decode, re-encode and extractor throw only ProtocolError', () => {
    const rnd = fuzz.seededRandom(1376);
    const seeds = fixtures.map((f) => hexToBytes(f.hex));
    const x = extractor();
    let decoded = 0;
    let extracted = 0;
    const started = performance.now();
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      let input: Uint8Array;
      if (i % 10 < 3) {
        input = fuzz.noise(rnd, 80);
        if (input.length && rnd() < 0.5) input[0] = 0x68;
        if (rnd() < 0.5) input = repair(input);
      } else {
        input = fuzz.mutate(seeds[fuzz.below(rnd, seeds.length)], rnd, { edits, repair, repairRate: 0.6 });
      }
      const refused = fuzz.onlyProtocolErrors(() => {
        const frame = decode(input);
        JSON.stringify(frame);
        fuzz.onlyProtocolErrors(() => encode(frame));
      }, input);
      if (refused === undefined) decoded++;
      extracted += x.push(input).frames.length;
    }
    const ms = performance.now() - started;
    console.log(
      `fuzz: ${N} inputs, ${decoded} decoded, ${N - decoded} rejected, ${extracted} frames extracted, ${Math.round(ms)} ms`,
    );
    expect(decoded).toBeGreaterThan(N / 10);
  });
});

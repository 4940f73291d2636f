import { describe, expect, it } from 'vitest';
import { hexToBytes, sum8 } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';
import { fixtures } from './fixtures.ts';
import { decode, encode, extractor } from './index.ts';

/** Small seeded PRNG so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  let b = Array.from(src);
  const ops = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < ops; k++) {
    const at = Math.floor(rnd() * (b.length + 1));
    const op = Math.floor(rnd() * 6);
    if (op === 0 && b.length) b[at % b.length] = Math.floor(rnd() * 256);
    else if (op === 1 && b.length) b[at % b.length] ^= 1 << Math.floor(rnd() * 8);
    else if (op === 2)
      b.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => Math.floor(rnd() * 256)));
    else if (op === 3) b.splice(at, 1 + Math.floor(rnd() * 6));
    else if (op === 4) b = b.slice(0, at);
    else if (b.length) b[at % b.length] = rnd() < 0.5 ? 0xee : 0xff;
  }
  const out = Uint8Array.from(b);
  return rnd() < 0.6 ? repair(out) : out;
}

function onlyProtocolErrors(f: () => unknown): 'ok' | 'rejected' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return 'rejected';
  }
}

describe('fuzz', () => {
  it('100,000 random and mutated frames: decode, re-encode and extractor throw only ProtocolError', () => {
    const rnd = mulberry32(1376);
    const seeds = fixtures.map((f) => hexToBytes(f.hex));
    const x = extractor();
    let decoded = 0;
    let extracted = 0;
    const started = performance.now();
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      let input: Uint8Array;
      if (i % 10 < 3) {
        input = Uint8Array.from({ length: Math.floor(rnd() * 80) }, () => Math.floor(rnd() * 256));
        if (input.length && rnd() < 0.5) input[0] = 0x68;
        if (rnd() < 0.5) input = repair(input);
      } else {
        input = mutate(seeds[Math.floor(rnd() * seeds.length)], rnd);
      }
      const outcome = onlyProtocolErrors(() => {
        const frame = decode(input);
        JSON.stringify(frame);
        onlyProtocolErrors(() => encode(frame));
      });
      if (outcome === 'ok') decoded++;
      extracted += x.push(input).frames.length;
    }
    const ms = performance.now() - started;
    console.log(
      `fuzz: ${N} inputs, ${decoded} decoded, ${N - decoded} rejected, ${extracted} frames extracted, ${Math.round(ms)} ms`,
    );
    expect(decoded).toBeGreaterThan(N / 10);
    expect(ms).toBeLessThan(10_000);
  });
});

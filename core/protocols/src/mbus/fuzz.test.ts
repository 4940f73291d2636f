import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexToBytes, ProtocolError, sum8 } from '../common/index.ts';
import { fixtures } from './fixtures.ts';
import { decode, extractor } from './index.ts';

/**
 * Random and mutated frames through decode and the extractor: the only thing allowed to escape is a
 * ProtocolError. Mutations: bit flips, truncation, insertion, deletion, L-field changes, and each of
 * those again with the checksum repaired so the damage reaches the application layer.
 */

const seeds = fixtures.map((f) => hexToBytes(f.hex));

/** Small deterministic PRNG (xorshift32) so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function repairChecksum(b: Uint8Array): Uint8Array {
  if (b.length >= 9 && b[0] === 0x68 && b[3] === 0x68) {
    const l = b[1];
    if (4 + l < b.length) b[4 + l] = sum8(b, 4, 4 + l);
  }
  return b;
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  let b = Uint8Array.from(src);
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * Math.max(1, b.length));
    switch (Math.floor(r() * 6)) {
      case 0:
        if (b.length) b[i] ^= 1 << Math.floor(r() * 8);
        break;
      case 1:
        b = b.slice(0, i);
        break;
      case 2:
        b = Uint8Array.from([...b.slice(0, i), Math.floor(r() * 256), ...b.slice(i)]);
        break;
      case 3:
        b = Uint8Array.from([...b.slice(0, i), ...b.slice(i + 1)]);
        break;
      case 4:
        if (b.length > 2) b[1] = b[2] = Math.floor(r() * 256);
        break;
      default:
        if (b.length > 2) b[1 + Math.floor(r() * 2)] = Math.floor(r() * 256);
    }
  }
  return r() < 0.5 ? repairChecksum(b) : b;
}

/** A well-formed long frame around random user data, so the record parser sees arbitrary bytes. */
function randomLong(r: () => number): Uint8Array {
  const len = Math.floor(r() * 120);
  const ci = [0x72, 0x7a, 0x78, 0x51, 0x73, 0x52][Math.floor(r() * 6)];
  const body = Uint8Array.from([
    0x08,
    Math.floor(r() * 256),
    ci,
    ...Array.from({ length: len }, () => Math.floor(r() * 256)),
  ]);
  return Uint8Array.from([0x68, body.length, body.length, 0x68, ...body, sum8(body), 0x16]);
}

function onlyProtocolErrors(b: Uint8Array): boolean {
  try {
    JSON.stringify(decode(b));
    return true;
  } catch (e) {
    if (e instanceof ProtocolError) return false;
    throw new Error(`non-protocol error on ${Buffer.from(b).toString('hex')}: ${String(e)}`);
  }
}

describe('fuzz', () => {
  it('decodes 120,000 random and mutated frames throwing only ProtocolError', () => {
    const r = rng(0x6d627573);
    let decoded = 0;
    const x = extractor();
    const started = performance.now();
    for (let i = 0; i < 120_000; i++) {
      const kind = i % 4;
      const b =
        kind === 0
          ? randomLong(r)
          : kind === 1
            ? Uint8Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256))
            : mutate(seeds[Math.floor(r() * seeds.length)], r);
      if (b.length && onlyProtocolErrors(b)) decoded++;
      for (const f of x.push(b).frames) onlyProtocolErrors(f);
    }
    const ms = performance.now() - started;
    expect(decoded).toBeGreaterThan(1000);
    expect(ms).toBeLessThan(10_000);
  });

  it('finds every frame a generator hides in noise', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...seeds), fc.uint8Array({ maxLength: 8 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 40 }),
        (parts, chunk) => {
          // noise without E5, 10 or 68 cannot start a frame, so every seed must come out intact
          const clean = parts.map(
            ([f, n]) => [f, n.map((v) => (v === 0xe5 || v === 0x10 || v === 0x68 ? 0 : v))] as const,
          );
          const stream = Uint8Array.from(clean.flatMap(([f, n]) => [...n, ...f]));
          const x = extractor();
          const got: string[] = [];
          for (let i = 0; i < stream.length; i += chunk)
            got.push(
              ...x.push(stream.subarray(i, i + chunk)).frames.map((f) => Buffer.from(f).toString('hex')),
            );
          expect(got).toEqual(clean.map(([f]) => Buffer.from(f).toString('hex')));
        },
      ),
      { numRuns: 300 },
    );
  });
});

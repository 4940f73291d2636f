import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as fuzz from '../common/fuzz-support.ts';
import { hexToBytes, sum8 } from '../common/index.ts';
import { fixtures } from './fixtures.ts';
import { decode, extractor } from './index.ts';

/**
 * Random and mutated frames through decode and the extractor: the only thing allowed to escape is a
 * ProtocolError. Mutations: bit flips, truncation, insertion, deletion, L-field changes, and each of
 * those again with the checksum repaired so the damage reaches the application layer.
 */

const seeds = fixtures.map((f) => hexToBytes(f.hex));

function repairChecksum(b: Uint8Array): Uint8Array {
  if (b.length >= 9 && b[0] === 0x68 && b[3] === 0x68) {
    const l = b[1];
    if (4 + l < b.length) b[4 + l] = sum8(b, 4, 4 + l);
  }
  return b;
}

/** L-field damage: both copies changed alike, or one of them alone. */
const sameLengths: fuzz.Edit = (b, rnd) => {
  if (b.length > 2) b[1] = b[2] = fuzz.below(rnd, 256);
  return b;
};
const oneLength: fuzz.Edit = (b, rnd) => {
  if (b.length > 2) b[1 + fuzz.below(rnd, 2)] = fuzz.below(rnd, 256);
  return b;
};
const edits = [...fuzz.byteEdits(1), sameLengths, oneLength];

/** A well-formed long frame around random user data, so the record parser sees arbitrary bytes. */
function randomLong(rnd: fuzz.Random): Uint8Array {
  const ci = [0x72, 0x7a, 0x78, 0x51, 0x73, 0x52][fuzz.below(rnd, 6)];
  const body = Uint8Array.from([0x08, fuzz.below(rnd, 256), ci, ...fuzz.noise(rnd, 120)]);
  return Uint8Array.from([0x68, body.length, body.length, 0x68, ...body, sum8(body), 0x16]);
}

function decodes(b: Uint8Array): boolean {
  return fuzz.onlyProtocolErrors(() => JSON.stringify(decode(b)), b) === undefined;
}

describe('fuzz', () => {
  it('decodes 120,000 random and mutated frames throwing only ProtocolError', () => {
    const rnd = fuzz.seededRandom(0x6d627573);
    let decoded = 0;
    const x = extractor();
    const started = performance.now();
    for (let i = 0; i < 120_000; i++) {
      const kind = i % 4;
      const b =
        kind === 0
          ? randomLong(rnd)
          : kind === 1
            ? fuzz.noise(rnd, 64)
            : fuzz.mutate(seeds[fuzz.below(rnd, seeds.length)], rnd, { edits, repair: repairChecksum });
      if (b.length && decodes(b)) decoded++;
      for (const f of x.push(b).frames) decodes(f);
    }
    const ms = performance.now() - started;
    expect(decoded).toBeGreaterThan(1000);
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

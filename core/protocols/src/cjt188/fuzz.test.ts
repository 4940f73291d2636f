import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, sum8 } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';
import { fixtures } from './fixtures.ts';
import { decode, encode, extractor } from './index.ts';

/** xorshift32: reproducible noise without a dependency */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

function mutate(base: Uint8Array, r: (n: number) => number): Uint8Array {
  const b = Array.from(base);
  const edits = 1 + r(4);
  for (let k = 0; k < edits; k++) {
    const op = r(6);
    const i = r(b.length + 1);
    if (op === 0) b[i % b.length] = r(256);
    else if (op === 1) b.splice(i, 1);
    else if (op === 2) b.splice(i, 0, r(256));
    else if (op === 3) b.length = r(b.length + 1);
    else if (op === 4) b[(i % b.length) | 0] ^= 1 << r(8);
    else b.splice(i, 0, 0xfe, 0xfe);
  }
  // half the time repair CS and L so the fault reaches the body decoder
  if (r(2) === 0 && b.length > 13) {
    let p = 0;
    while (p < b.length && b[p] === 0xfe) p++;
    if (b.length - p >= 13) {
      b[p + 10] = b.length - p - 13;
      b[b.length - 2] = sum8(Uint8Array.from(b), p, b.length - 2);
      b[b.length - 1] = 0x16;
    }
  }
  return Uint8Array.from(b);
}

function onlyProtocolErrors(run: () => unknown): 'ok' | 'rejected' {
  try {
    run();
    return 'ok';
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return 'rejected';
  }
}

describe('cjt188 fuzz', () => {
  it('100,000 random and mutated frames: decode and extractor raise only ProtocolError', () => {
    const r = rng(0xc1188);
    const bases = fixtures.map((f) => hexToBytes(f.hex));
    const x = extractor();
    let ok = 0;
    let rejected = 0;
    let extracted = 0;
    const started = performance.now();
    for (let n = 0; n < 100_000; n++) {
      const input =
        n % 4 === 0 ? Uint8Array.from({ length: r(64) }, () => r(256)) : mutate(bases[r(bases.length)], r);
      // whatever decodes must encode back to the same bytes
      const outcome = onlyProtocolErrors(() => {
        const back = bytesToHex(encode(decode(input)));
        if (back !== bytesToHex(input)) throw new Error(`re-encoded ${back} from ${bytesToHex(input)}`);
      });
      if (outcome === 'ok') ok++;
      else rejected++;
      for (const f of x.push(input).frames) {
        extracted++;
        // the probe checked start, L, end and checksum; only the body may still be refused
        try {
          decode(f);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
          expect((e as ProtocolError).code).toBe('FRAME_FIELD_INVALID');
        }
      }
    }
    const ms = performance.now() - started;
    expect(ok + rejected).toBe(100_000);
    expect(ok).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
    expect(extracted).toBeGreaterThan(1000);
    expect(ms).toBeLessThan(10_000);
    console.log(
      `cjt188 fuzz: ${ok} decoded, ${rejected} rejected, ${extracted} extracted, ${Math.round(ms)} ms`,
    );
  });
});

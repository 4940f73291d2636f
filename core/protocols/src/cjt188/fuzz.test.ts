import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, sum8 } from '../common/bytes.ts';
import * as fuzz from '../common/fuzz-support.ts';
import { fixtures } from './fixtures.ts';
import { decode, encode, extractor } from './index.ts';

/** Recomputes L and CS behind any FE preamble, so the fault reaches the body decoder. */
function repair(b: Uint8Array): Uint8Array {
  const p = fuzz.skipPreamble(b);
  if (b.length > 13 && b.length - p >= 13) {
    b[p + 10] = b.length - p - 13;
    b[b.length - 2] = sum8(b, p, b.length - 2);
    b[b.length - 1] = 0x16;
  }
  return b;
}

/** Inserts an FE FE wake-up preamble somewhere. */
const preamble: fuzz.Edit = (b, rnd) => fuzz.insertAt(b, rnd, [0xfe, 0xfe]);
const edits = [...fuzz.byteEdits(1), preamble];

describe('cjt188 fuzz', () => {
  it('100,000 random and mutated frames: decode and extractor raise only ProtocolError', () => {
    const rnd = fuzz.seededRandom(0xc1188);
    const bases = fixtures.map((f) => hexToBytes(f.hex));
    const x = extractor();
    let ok = 0;
    let rejected = 0;
    let extracted = 0;
    const started = performance.now();
    for (let n = 0; n < 100_000; n++) {
      const input =
        n % 4 === 0
          ? fuzz.noise(rnd, 64)
          : fuzz.mutate(bases[fuzz.below(rnd, bases.length)], rnd, { edits, repair });
      // whatever decodes must encode back to the same bytes
      const refused = fuzz.onlyProtocolErrors(() => {
        const back = bytesToHex(encode(decode(input)));
        if (back !== bytesToHex(input)) throw new Error(`re-encoded ${back} from ${bytesToHex(input)}`);
      }, input);
      if (refused === undefined) ok++;
      else rejected++;
      for (const f of x.push(input).frames) {
        extracted++;
        // the probe checked start, L, end and checksum; only the body may still be refused
        const bodyRefused = fuzz.onlyProtocolErrors(() => decode(f), f);
        if (bodyRefused !== undefined) expect(bodyRefused).toBe('FRAME_FIELD_INVALID');
      }
    }
    const ms = performance.now() - started;
    expect(ok + rejected).toBe(100_000);
    expect(ok).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
    expect(extracted).toBeGreaterThan(1000);
    console.log(
      `cjt188 fuzz: ${ok} decoded, ${rejected} rejected, ${extracted} extracted, ${Math.round(ms)} ms`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { bytesToHex, concat, hexToBytes } from '../common/bytes.ts';
import { fixtures } from './fixtures.ts';
import { extractor } from './index.ts';

const strip = (hex: string): string => bytesToHex(hexToBytes(hex)).replace(/^(FE)+/, '');

describe('dlt645 extractor', () => {
  const picked = fixtures.slice(0, 6);
  const stream = concat([
    hexToBytes('00 FF 16 68 12'), // line noise, including a lone start byte
    ...picked.map((f) => hexToBytes(f.hex)),
    hexToBytes('FE FE'),
  ]);
  const want = picked.map((f) => strip(f.hex));

  it('skips noise and FE preambles and returns whole frames', () => {
    const r = extractor().push(stream);
    expect(r.frames.map((f) => bytesToHex(f))).toEqual(want);
    expect(r.discarded).toBeGreaterThan(0);
  });

  it('keeps frames split at every possible chunk boundary', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const x = extractor();
      const got = [...x.push(stream.subarray(0, cut)).frames, ...x.push(stream.subarray(cut)).frames];
      expect(got.map((f) => bytesToHex(f))).toEqual(want);
    }
  });

  it('delivers byte-by-byte input and holds back a partial frame', () => {
    const x = extractor();
    const got: string[] = [];
    for (const b of stream) got.push(...x.push(Uint8Array.of(b)).frames.map((f) => bytesToHex(f)));
    expect(got).toEqual(want);
    const partial = hexToBytes(fixtures[0].hex).subarray(0, 9);
    expect(x.push(partial).frames).toEqual([]);
    expect(x.pending).toBeGreaterThan(0);
  });

  it('finds a good frame right behind a corrupt one', () => {
    const bad = hexToBytes(fixtures[0].hex);
    bad[bad.length - 2] ^= 0xff;
    const r = extractor().push(concat([bad, hexToBytes(fixtures[1].hex)]));
    expect(r.frames.map((f) => bytesToHex(f))).toEqual([strip(fixtures[1].hex)]);
  });

  it('a start byte in the noise after the end byte does not hold back the next frame', () => {
    // after the reply's 16 the line glitches: 68 … 68 with an L of 0x90 that never comes
    const noise = hexToBytes('68 33 33 68 68 68 68 68 91 90 00');
    const x = extractor();
    const first = x.push(concat([hexToBytes(fixtures[0].hex), noise]));
    expect(first.frames.map((f) => bytesToHex(f))).toEqual([strip(fixtures[0].hex)]);
    const next = x.push(concat([hexToBytes('FE FE FE FE'), hexToBytes(fixtures[1].hex)]));
    expect(next.frames.map((f) => bytesToHex(f))).toEqual([strip(fixtures[1].hex)]);
    expect(x.pending).toBe(0);
  });
});

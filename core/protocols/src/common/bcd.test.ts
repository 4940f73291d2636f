import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bcdLeToNumber, bcdLeToSignedNumber, numberToBcdLe, signedNumberToBcdLe } from './bcd.ts';
import { bytesToHex, hexToBytes, sum8 } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import { FrameExtractor } from './extractor.ts';

describe('bcd', () => {
  it('decodes little-endian BCD with decimals', () => {
    expect(bcdLeToNumber(hexToBytes('26000000'), 0, 4, 2)).toBe(0.26);
    expect(bcdLeToNumber(hexToBytes('78563412'), 0, 4, 2)).toBe(123456.78);
  });
  it('keeps the sign bit', () => {
    expect(bcdLeToSignedNumber(hexToBytes('501280'), 0, 3, 4)).toBe(-0.125);
  });
  it('rejects non-decimal nibbles with a typed error', () => {
    expect(() => bcdLeToNumber(hexToBytes('1A'), 0, 1)).toThrow(ProtocolError);
  });
  it('round-trips any value that fits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9_999_999, max: 9_999_999 }), (n) => {
        expect(bcdLeToSignedNumber(signedNumberToBcdLe(n / 100, 4, 2), 0, 4, 2)).toBe(n / 100);
        expect(bcdLeToNumber(numberToBcdLe(Math.abs(n), 4), 0, 4)).toBe(Math.abs(n));
      }),
    );
  });
});

describe('bytes', () => {
  it('parses spaced hex and sums mod 256', () => {
    const b = hexToBytes('68 61 01 00 00 00 00 68 11 04 33 33 34 33');
    expect(sum8(b)).toBe(0x14);
    expect(bytesToHex(b.subarray(0, 2), ' ')).toBe('68 61');
  });
  it('rejects odd or non-hex input', () => {
    expect(() => hexToBytes('6')).toThrow(expect.objectContaining({ code: 'FRAME_HEX_INVALID' }));
    expect(() => hexToBytes('zz')).toThrow(expect.objectContaining({ code: 'FRAME_HEX_INVALID' }));
    expect(() => hexToBytes('')).toThrow(expect.objectContaining({ code: 'FRAME_EMPTY' }));
  });
});

describe('FrameExtractor', () => {
  // toy framing: 0xAA, length byte, payload
  const probe = (buf: Uint8Array, i: number) => {
    if (buf[i] !== 0xaa) return { kind: 'no-frame' } as const;
    if (i + 1 >= buf.length) return { kind: 'need-more' } as const;
    const len = 2 + buf[i + 1];
    return i + len <= buf.length
      ? ({ kind: 'frame', length: len } as const)
      : ({ kind: 'need-more' } as const);
  };
  it('splits merged chunks, keeps partial frames and skips garbage', () => {
    const x = new FrameExtractor(probe);
    const r1 = x.push(hexToBytes('00 FF AA 02 01 02 AA 01'));
    expect(r1.frames.map((f) => bytesToHex(f))).toEqual(['AA020102']);
    expect(r1.discarded).toBe(2);
    expect(x.pending).toBe(2);
    const r2 = x.push(hexToBytes('09 AA 00'));
    expect(r2.frames.map((f) => bytesToHex(f))).toEqual(['AA0109', 'AA00']);
    expect(x.pending).toBe(0);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';
import { fmtSize, numMax } from './formats.ts';
import {
  allItems,
  buildLink,
  buildReadReply,
  codec,
  decodeFrame,
  decodeItemBytes,
  encodeItem,
} from './index.ts';
import type { Fmt, ItemDef, TimePattern } from './types.ts';

const two = (lo: number, hi: number): fc.Arbitrary<string> =>
  fc.integer({ min: lo, max: hi }).map((n) => String(n).padStart(2, '0'));

function timeArb(p: TimePattern): fc.Arbitrary<unknown> {
  const Y = two(0, 99);
  const M = two(1, 12);
  const D = two(1, 28);
  const h = two(0, 23);
  const m = two(0, 59);
  switch (p) {
    case 'YYMMDDhhmmss':
      return fc.tuple(Y, M, D, h, m, m).map(([y, mo, d, hh, mi, s]) => `20${y}-${mo}-${d} ${hh}:${mi}:${s}`);
    case 'YYMMDDhhmm':
      return fc.tuple(Y, M, D, h, m).map(([y, mo, d, hh, mi]) => `20${y}-${mo}-${d} ${hh}:${mi}`);
    case 'YYMMDDWW':
      return fc
        .tuple(Y, M, D, fc.integer({ min: 0, max: 6 }))
        .map(([y, mo, d, w]) => ({ date: `20${y}-${mo}-${d}`, weekday: w }));
    case 'YYMMDD':
      return fc.tuple(Y, M, D).map(([y, mo, d]) => `20${y}-${mo}-${d}`);
    case 'hhmmss':
      return fc.tuple(h, m, m).map(([hh, mi, s]) => `${hh}:${mi}:${s}`);
    case 'MMDDhhmm':
      return fc.tuple(M, D, h, m).map(([mo, d, hh, mi]) => `${mo}-${d} ${hh}:${mi}`);
    case 'DDhh':
      return fc.tuple(D, h).map(([d, hh]) => `${d} ${hh}`);
  }
}

/** Any value the format can carry, in the form decode returns it. */
function valueArb(fmt: Fmt, room: number): fc.Arbitrary<unknown> {
  switch (fmt.t) {
    case 'num': {
      const units = Math.round(numMax(fmt) * 10 ** fmt.d);
      return fc.integer({ min: fmt.s ? -units : 0, max: units }).map((u) => (u === 0 ? 0 : u / 10 ** fmt.d));
    }
    case 'time':
      return timeArb(fmt.p);
    case 'digits':
      return fc.stringMatching(new RegExp(`^[0-9]{${fmt.n * 2}}$`));
    case 'hex':
      return fc.stringMatching(new RegExp(`^[0-9A-F]{${fmt.n * 2}}$`));
    case 'rec':
      return fc.record(Object.fromEntries(fmt.f.map((f) => [f.key, valueArb(f.fmt, room)])));
    case 'block': {
      const size = fmtSize(fmt.of);
      const max = Math.min(fmt.labels.length, Math.floor(room / size));
      return fc
        .array(valueArb(fmt.of, room), { minLength: fmt.min, maxLength: max })
        .map((list) => Object.fromEntries(list.map((v, i) => [fmt.labels[i], v])));
    }
  }
}

const items = allItems();
const addressArb = fc.stringMatching(/^[0-9A]{12}$/);
const itemWithValue = fc
  .constantFrom(...items)
  .chain((def: ItemDef) => fc.tuple(fc.constant(def), valueArb(def.fmt, 200 - def.di.length / 2)));

describe('dlt645 properties', () => {
  it('knows a few thousand identifiers across both editions', () => {
    expect(items.length).toBeGreaterThan(2000);
    expect(items.some((d) => d.version === '1997')).toBe(true);
  });

  it('encode → decode gives back any value within the item range', () => {
    fc.assert(
      fc.property(
        addressArb,
        itemWithValue,
        fc.integer({ min: 0, max: 4 }),
        (address, [def, value], preamble) => {
          const frame = decodeFrame(buildReadReply(address, def.di, value as never, { preamble }));
          expect(frame.address).toBe(address);
          expect(frame.di).toBe(def.di);
          expect(frame.version).toBe(def.version);
          expect(frame.valueError).toBeUndefined();
          expect(def.fmt.t === 'block' ? frame.values : frame.value).toEqual(value);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('any FF-filled tariffs of an energy block read as null, are listed as missing and re-encode', () => {
    const kwh = fc.integer({ min: 0, max: 99_999_999 }).map((n) => n / 100);
    fc.assert(
      fc.property(fc.array(fc.option(kwh, { nil: null }), { minLength: 5, maxLength: 5 }), (list) => {
        const values = Object.fromEntries(['total', 'T1', 'T2', 'T3', 'T4'].map((k, i) => [k, list[i]]));
        const bytes = buildReadReply('000000000161', '0001FF00', values);
        const frame = decodeFrame(bytes);
        expect(frame.values).toEqual(values);
        const want = Object.entries(values)
          .filter(([, v]) => v === null)
          .map(([k]) => `values.${k}`);
        expect(frame.missing).toEqual(want.length > 0 ? want : undefined);
        expect(bytesToHex(codec.encode(frame))).toBe(bytesToHex(bytes));
      }),
    );
  });

  it('encodeItem and decodeItemBytes are inverse for every format', () => {
    fc.assert(
      fc.property(itemWithValue, ([def, value]) => {
        const decoded = decodeItemBytes(def.di, encodeItem(def.di, value));
        expect(def.fmt.t === 'block' ? decoded.values : decoded.value).toEqual(value);
        expect(decoded.extra).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  const controls = [
    ...[0x08, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c],
    ...[0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c].flatMap((c) => [
      c | 0x80,
      c | 0xa0,
      c | 0xc0,
    ]),
    ...[0x01, 0x02, 0x03, 0x04, 0x0a, 0x0c, 0x0f, 0x10].flatMap((c) => [c, c | 0x80, c | 0xa0, c | 0xc0]),
  ];

  it('arbitrary frames round-trip byte-exactly through decode → JSON → encode', () => {
    let decoded = 0;
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9A-F]{12}$/),
        fc.constantFrom(...controls),
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.integer({ min: 0, max: 4 }),
        (address, control, data, preamble) => {
          const bytes = buildLink(address, control, data, preamble);
          let frame: unknown;
          try {
            frame = codec.decode(bytes);
          } catch (e) {
            // only payload-level faults are possible here: the framing is valid by construction
            expect(e).toBeInstanceOf(ProtocolError);
            expect(['FRAME_LENGTH_INVALID', 'FRAME_FIELD_INVALID']).toContain((e as ProtocolError).code);
            return;
          }
          decoded++;
          const again = codec.encode(JSON.parse(JSON.stringify(frame)));
          expect(bytesToHex(again)).toBe(bytesToHex(bytes));
        },
      ),
      { numRuns: 5000 },
    );
    expect(decoded).toBeGreaterThan(2500);
  });
});

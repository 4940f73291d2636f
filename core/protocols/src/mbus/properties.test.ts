import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, ProtocolError } from '../common/index.ts';
import { buildRspUd, decode, decodeRecords, encode, encodeRecord, type RecordInput } from './index.ts';
import type { DataCoding } from './types.ts';

/** Numeric VIFs (primary, FD, FB) with their decimal exponent and time multiplier. */
const VIFS: { vif: string; exponent: number; multiplier: number }[] = [
  ...Array.from({ length: 8 }, (_, n) => ({
    vif: (0x00 + n).toString(16).padStart(2, '0'),
    exponent: n - 3,
    multiplier: 1,
  })),
  ...Array.from({ length: 8 }, (_, n) => ({ vif: (0x10 + n).toString(16), exponent: n - 6, multiplier: 1 })),
  ...Array.from({ length: 8 }, (_, n) => ({ vif: (0x28 + n).toString(16), exponent: n - 3, multiplier: 1 })),
  ...Array.from({ length: 8 }, (_, n) => ({ vif: (0x38 + n).toString(16), exponent: n - 6, multiplier: 1 })),
  ...Array.from({ length: 4 }, (_, n) => ({ vif: (0x58 + n).toString(16), exponent: n - 3, multiplier: 1 })),
  ...Array.from({ length: 4 }, (_, n) => ({ vif: (0x60 + n).toString(16), exponent: n - 3, multiplier: 1 })),
  ...Array.from({ length: 4 }, (_, n) => ({ vif: (0x68 + n).toString(16), exponent: n - 3, multiplier: 1 })),
  ...[1, 60, 3600, 86400].map((m, n) => ({ vif: (0x24 + n).toString(16), exponent: 0, multiplier: m })),
  { vif: 'FD48', exponent: -1, multiplier: 1 },
  { vif: 'FD59', exponent: -3, multiplier: 1 },
  { vif: 'FB01', exponent: 6, multiplier: 1 },
  { vif: '9374', exponent: -5, multiplier: 1 },
];

const CODINGS: { coding: DataCoding; min: number; max: number }[] = [
  { coding: 'int8', min: -128, max: 127 },
  { coding: 'int16', min: -32768, max: 32767 },
  { coding: 'int24', min: -(2 ** 23), max: 2 ** 23 - 1 },
  { coding: 'int32', min: -(2 ** 31), max: 2 ** 31 - 1 },
  { coding: 'int48', min: -(2 ** 47), max: 2 ** 47 - 1 },
  { coding: 'bcd2', min: 0, max: 99 },
  { coding: 'bcd4', min: -999, max: 9999 },
  { coding: 'bcd8', min: -9_999_999, max: 99_999_999 },
  { coding: 'bcd12', min: -99_999_999_999, max: 999_999_999_999 },
];

const scaled = (raw: number, exponent: number, multiplier: number) =>
  exponent >= 0 ? raw * multiplier * 10 ** exponent : (raw * multiplier) / 10 ** -exponent;

const recordArb = fc
  .record({
    vif: fc.constantFrom(...VIFS),
    coding: fc.constantFrom(...CODINGS),
    rawSeed: fc.double({ min: 0, max: 1, noNaN: true }),
    storage: fc.integer({ min: 0, max: 2 ** 20 }),
    tariff: fc.integer({ min: 0, max: 1023 }),
    subunit: fc.integer({ min: 0, max: 31 }),
    function: fc.constantFrom('instantaneous', 'maximum', 'minimum', 'error' as const),
  })
  .map((r) => {
    const raw = Math.round(r.coding.min + r.rawSeed * (r.coding.max - r.coding.min));
    return { ...r, raw, value: scaled(raw, r.vif.exponent, r.vif.multiplier) };
  });

describe('record properties', () => {
  it('encode -> decode gives back the same normalised value, storage, tariff, subunit and function', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const input: RecordInput = {
          vif: r.vif.vif,
          coding: r.coding.coding,
          value: r.value,
          storage: r.storage,
          tariff: r.tariff,
          subunit: r.subunit,
          function: r.function,
        };
        const [d] = decodeRecords(encodeRecord(input)).records;
        expect(d.value).toBe(r.value);
        expect(d.rawValue).toBe(r.raw);
        expect([d.storage, d.tariff, d.subunit, d.function, d.coding]).toEqual([
          r.storage,
          r.tariff,
          r.subunit,
          r.function,
          r.coding.coding,
        ]);
      }),
      { numRuns: 2000 },
    );
  });

  it('real32 records keep the float value', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const [d] = decodeRecords(encodeRecord({ vif: '2B', coding: 'real32', value: f })).records;
        expect(d.value).toBe(f);
      }),
    );
  });

  it('dates round-trip through types G and F', () => {
    const dateArb = fc.date({
      min: new Date('1981-01-01T00:00:00Z'),
      max: new Date('2080-12-31T23:59:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dateArb, (t) => {
        const iso = `${t.toISOString().slice(0, 16)}:00Z`;
        const [g, f] = decodeRecords(
          Uint8Array.from([
            ...encodeRecord({ vif: '6C', value: iso.slice(0, 10) }),
            ...encodeRecord({ vif: '6D', value: iso }),
          ]),
        ).records;
        expect([g.value, g.invalid, f.value, f.invalid]).toEqual([iso.slice(0, 10), false, iso, false]);
      }),
    );
  });
});

describe('frame properties', () => {
  const headerArb = fc.record({
    id: fc.integer({ min: 0, max: 99_999_999 }).map((n) => String(n).padStart(8, '0')),
    manufacturer: fc.stringMatching(/^[A-Z]{3}$/),
    version: fc.integer({ min: 0, max: 255 }),
    medium: fc.integer({ min: 0, max: 255 }),
    accessNo: fc.integer({ min: 0, max: 255 }),
    status: fc.integer({ min: 0, max: 255 }),
    signature: fc.integer({ min: 0, max: 0xffff }),
  });
  const frameArb = fc.record({
    a: fc.integer({ min: 0, max: 250 }),
    header: headerArb,
    records: fc.array(recordArb, { maxLength: 8 }),
    manufacturerData: fc.option(
      fc.uint8Array({ maxLength: 16 }).map((b) => bytesToHex(b)),
      { nil: undefined },
    ),
    acd: fc.boolean(),
    dfc: fc.boolean(),
  });

  it('RSP_UD frames round-trip byte-exactly through decode and encode', () => {
    fc.assert(
      fc.property(frameArb, (f) => {
        const bytes = buildRspUd({
          ...f,
          records: f.records.map((r) => ({
            vif: r.vif.vif,
            coding: r.coding.coding,
            value: r.value,
            storage: r.storage,
          })),
        });
        const d = decode(bytes);
        expect(d.header).toMatchObject({
          id: f.header.id,
          manufacturer: f.header.manufacturer,
          accessNo: f.header.accessNo,
        });
        expect(d.records?.map((r) => r.value)).toEqual(f.records.map((r) => r.value));
        const { data: _data, ...structured } = d;
        expect(bytesToHex(encode(JSON.parse(JSON.stringify(structured))))).toBe(bytesToHex(bytes));
        expect(bytesToHex(encode(d))).toBe(bytesToHex(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('short and control frames round-trip byte-exactly', () => {
    // CIs whose structure needs user data (headers, select mask, application error) cannot be control frames.
    const needsData = [0x52, 0x70, 0x72, 0x73, 0x76, 0x77, 0x7a];
    const byte = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(byte, byte, byte, (c, a, ci) => {
        const short = encode({ kind: 'short', c, a });
        expect(bytesToHex(encode(decode(short)))).toBe(bytesToHex(short));
        const control = encode({ kind: 'control', c, a, ci });
        if (needsData.includes(ci)) {
          expect(() => decode(control)).toThrow(ProtocolError);
          return;
        }
        expect(bytesToHex(encode(decode(control)))).toBe(bytesToHex(control));
      }),
      { numRuns: 1000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../common/bytes.ts';
import {
  buildMeterConfigDownload,
  buildRead,
  buildReadReply,
  decode,
  decodeDa,
  decodeDt,
  encode,
  encodeDa,
  encodeDt,
} from './index.ts';
import type { DataItem, GdwFrameInput, Pn } from './types.ts';

const addr = { A1_region: '3501', A2_terminal: 1, A3_master: 2 };
const p2 = (n: number) => String(n).padStart(2, '0');

const scaled = (digits: number, decimals: number, signed = false) =>
  fc
    .integer({ min: signed ? -(10 ** digits - 1) : 0, max: 10 ** digits - 1 })
    .map((n) => Number((n / 10 ** decimals).toFixed(decimals)) + 0);
const orNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 5 });
const date = fc.record({
  y: fc.integer({ min: 2000, max: 2099 }),
  m: fc.integer({ min: 1, max: 12 }),
  d: fc.integer({ min: 1, max: 28 }),
});
const a15 = fc
  .record({ t: date, h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }) })
  .map(({ t, h, mi }) => `${t.y}-${p2(t.m)}-${p2(t.d)} ${p2(h)}:${p2(mi)}`);
const a20 = date.map((t) => `${t.y}-${p2(t.m)}-${p2(t.d)}`);
const a21 = date.map((t) => `${t.y}-${p2(t.m)}`);

/** Decoded data minus the derived `missing` list (nested objects keep theirs out too). */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== 'missing')
      .map(([k, x]) => [k, strip(x)]),
  );
}

const energy = (m: number, digits: number, decimals: number, unit: string) =>
  fc.record({
    [`total_${unit}`]: orNull(scaled(digits, decimals)),
    [`tariffs_${unit}`]: fc.array(orNull(scaled(digits, decimals)), { minLength: m, maxLength: m }),
  });

const f129 = fc
  .integer({ min: 0, max: 14 })
  .chain((m) =>
    fc
      .record({ time: orNull(a15), tariffs: energy(m, 10, 4, 'kWh') })
      .map(({ time, tariffs }) => ({ time, tariffCount: m, ...tariffs })),
  );
const f130 = fc
  .integer({ min: 0, max: 14 })
  .chain((m) =>
    fc
      .record({ time: orNull(a15), tariffs: energy(m, 8, 2, 'kvarh') })
      .map(({ time, tariffs }) => ({ time, tariffCount: m, ...tariffs })),
  );
const f161 = fc.tuple(a20, f129).map(([d, v]) => ({ date: d, ...v }));
const f177 = fc.tuple(a21, f129).map(([d, v]) => ({ month: d, ...v }));
const f33 = fc.integer({ min: 0, max: 8 }).chain((m) =>
  fc.record({
    time: orNull(a15),
    tariffCount: fc.constant(m),
    positiveActive: energy(m, 10, 4, 'kWh'),
    positiveReactive: energy(m, 8, 2, 'kvarh'),
    quadrant1Reactive: energy(m, 8, 2, 'kvarh'),
    quadrant4Reactive: energy(m, 8, 2, 'kvarh'),
  }),
);
const three = <T>(a: fc.Arbitrary<T>) => fc.record({ a, b: a, c: a });
const four = <T>(a: fc.Arbitrary<T>) => fc.record({ total: a, a, b: a, c: a });
const power = orNull(scaled(5, 4, true));
const f25 = fc.record({
  time: orNull(a15),
  activePower_kW: four(power),
  reactivePower_kvar: four(power),
  powerFactor_pct: four(orNull(scaled(3, 1, true))),
  voltage_V: three(orNull(scaled(4, 1))),
  current_A: three(orNull(scaled(5, 3, true))),
  zeroSequenceCurrent_A: orNull(scaled(5, 3, true)),
  apparentPower_kVA: four(power),
});

const pnArb: fc.Arbitrary<Pn> = fc.oneof(
  fc.constant(0 as Pn),
  fc.constant('all' as Pn),
  fc.integer({ min: 1, max: 2040 }),
);

describe('DA/DT ↔ pn/Fn', () => {
  it('round-trips any point set of one group and any Fn set of one group', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 0, max: 30 }),
        (g, bits, dg) => {
          const pns = [0, 1, 2, 3, 4, 5, 6, 7].filter((b) => bits & (1 << b)).map((b) => (g - 1) * 8 + b + 1);
          const da = encodeDa(pns);
          expect(decodeDa(da[0], da[1])).toEqual(pns);
          const fns = [0, 1, 2, 3, 4, 5, 6, 7].filter((b) => bits & (1 << b)).map((b) => dg * 8 + b + 1);
          const dt = encodeDt(fns);
          expect(decodeDt(dt[0], dt[1])).toEqual(fns);
        },
      ),
    );
  });
  it('keeps every (pn, Fn) pair of a read request, whatever the grouping', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ pn: pnArb, fn: fc.integer({ min: 1, max: 248 }) }), {
          minLength: 1,
          maxLength: 40,
          selector: (i) => `${i.pn}/${i.fn}`,
        }),
        (items) => {
          const units = decode(buildRead(addr, '0C', items, 0)).units;
          const key = (i: { pn: Pn; fn: number }) => `${i.pn}/${i.fn}`;
          expect(units.map(key).sort()).toEqual(items.map(key).sort());
        },
      ),
    );
  });
  it('sends a full pn × Fn product in a single data unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 255 }),
        (g, pbits, dg, fbits) => {
          const pns = [0, 1, 2, 3, 4, 5, 6, 7]
            .filter((b) => pbits & (1 << b))
            .map((b) => (g - 1) * 8 + b + 1);
          const fns = [0, 1, 2, 3, 4, 5, 6, 7].filter((b) => fbits & (1 << b)).map((b) => dg * 8 + b + 1);
          const items = fns.flatMap((fn) => pns.map((pn) => ({ pn, fn })));
          const frame = buildRead(addr, '0C', items, 0);
          expect(frame.length).toBe(8 + 8 + 4);
          expect(decode(frame).units.length).toBe(items.length);
        },
      ),
    );
  });
});

describe('typed data units: encode → decode gives the same values', () => {
  const cases: [string, number, number, fc.Arbitrary<unknown>][] = [
    ['AFN 0C F25', 0x0c, 25, f25],
    ['AFN 0C F33', 0x0c, 33, f33],
    ['AFN 0C F129', 0x0c, 129, f129],
    ['AFN 0C F130 (reactive, A.11)', 0x0c, 130, f130],
    ['AFN 0D F161', 0x0d, 161, f161],
    ['AFN 0D F177', 0x0d, 177, f177],
  ];
  for (const [name, afn, fn, arb] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2040 }), arb, (pn, data) => {
          const [frame] = buildReadReply(addr, afn, [{ pn, fn, data }], 1);
          const got = decode(frame).units;
          expect(got.length).toBe(1);
          expect(strip(got[0].data)).toEqual(data);
        }),
        { numRuns: 200 },
      );
    });
  }
  it('AFN 04 F10 meters', () => {
    const hex12 = fc.stringMatching(/^[0-9]{12}$/);
    const meter = fc.record({
      serial: fc.integer({ min: 1, max: 2040 }),
      pn: fc.integer({ min: 0, max: 2040 }),
      baud: fc.constantFrom(0, 600, 1200, 2400, 4800, 7200, 9600, 19200),
      port: fc.integer({ min: 1, max: 31 }),
      protocol: fc.constantFrom(1, 2, 30, 31),
      address: hex12,
      password: fc.stringMatching(/^[0-9A-F]{12}$/),
      tariffCount: fc.integer({ min: 0, max: 63 }),
      integerDigits: fc.integer({ min: 4, max: 7 }),
      decimalDigits: fc.integer({ min: 1, max: 4 }),
      collector: hex12,
      userClass: fc.integer({ min: 0, max: 15 }),
      userSubClass: fc.integer({ min: 0, max: 15 }),
    });
    fc.assert(
      fc.property(fc.array(meter, { minLength: 1, maxLength: 10 }), (meters) => {
        const got = decode(buildMeterConfigDownload(addr, meters, 1)).units[0].data as { meters: object[] };
        expect(got.meters.map((m) => ({ ...m, protocolName: undefined }))).toEqual(
          meters.map((m) => ({ ...m, protocolName: undefined })),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('frames round-trip byte-exactly', () => {
  const header = fc.record({
    protocolId: fc.constantFrom(1 as const, 2 as const),
    prm: fc.boolean(),
    fcb: fc.boolean(),
    acd: fc.boolean(),
    fcv: fc.boolean(),
    functionCode: fc.integer({ min: 0, max: 15 }),
    address: fc.record({
      A1_region: fc.stringMatching(/^[0-9]{4}$/),
      A2_terminal: fc.integer({ min: 0, max: 0xffff }),
      A3_master: fc.integer({ min: 0, max: 127 }),
      group: fc.boolean(),
    }),
    seq: fc.record({
      tpv: fc.boolean(),
      fir: fc.boolean(),
      fin: fc.boolean(),
      con: fc.boolean(),
      pseq: fc.integer({ min: 0, max: 15 }),
    }),
    tp: fc.record({
      pfc: fc.integer({ min: 0, max: 255 }),
      time: fc
        .tuple(
          fc.integer({ min: 1, max: 31 }),
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          fc.integer({ min: 0, max: 59 }),
        )
        .map(([d, h, m, s]) => `${p2(d)} ${p2(h)}:${p2(m)}:${p2(s)}`),
      delayMinutes: fc.integer({ min: 0, max: 255 }),
    }),
    ec: fc.record({ important: fc.integer({ min: 0, max: 255 }), normal: fc.integer({ min: 0, max: 255 }) }),
    pw: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => bytesToHex(b)),
  });
  const body = fc.oneof(
    fc.record({
      dir: fc.constant('up' as const),
      afn: fc.constant('0C'),
      units: fc.tuple(fc.integer({ min: 1, max: 64 }), f129).map(([pn, data]) => [{ pn, fn: 129, data }]),
    }),
    fc.record({
      dir: fc.constant('up' as const),
      afn: fc.constant('0C'),
      units: fc.tuple(fc.integer({ min: 1, max: 64 }), f25).map(([pn, data]) => [{ pn, fn: 25, data }]),
    }),
    fc.record({
      dir: fc.constant('down' as const),
      afn: fc.constant('0D'),
      units: fc
        .tuple(fc.integer({ min: 1, max: 64 }), a20)
        .map(([pn, date]) => [{ pn, fn: 161, data: { date } }]),
    }),
    fc.record({
      dir: fc.constant('down' as const),
      afn: fc.constant('04'),
      units: fc.uint8Array({ maxLength: 20 }).map((b) => [{ pn: 0, fn: 3, raw: bytesToHex(b) }]),
    }),
    fc.record({
      dir: fc.constant('up' as const),
      afn: fc.constant('02'),
      units: fc.constantFrom([{ pn: 0, fn: 1 }], [{ pn: 0, fn: 3 }]),
    }),
  );
  it('encode → decode → encode is the identity on bytes', () => {
    fc.assert(
      fc.property(header, body, (h, b) => {
        const input: GdwFrameInput = {
          ...h,
          dir: b.dir,
          afn: b.afn,
          units: b.units as DataItem[],
          aux: { tp: h.tp, ec: h.ec, pw: h.protocolId === 2 ? h.pw : h.pw.slice(0, 4) },
        };
        const bytes = encode(input);
        const frame = decode(bytes);
        expect(bytesToHex(encode(frame))).toBe(bytesToHex(bytes));
        expect(frame.address).toEqual(h.address);
        expect(frame.seq).toEqual(h.seq);
      }),
      { numRuns: 500 },
    );
  });
});

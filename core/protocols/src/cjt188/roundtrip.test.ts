import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, sum8 } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';
import { buildReadDataReply, decode, diNames, encode, units } from './index.ts';
import type { DiOrder } from './types.ts';

const unitNames = Object.values(units).map((u) => u.name);
const order = fc.constantFrom<DiOrder>('standard', 'swapped');
/** 7 address bytes as digits: BCD pairs or the AA wildcard */
const address = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
      fc.constant('AA'),
    ),
    { minLength: 7, maxLength: 7 },
  )
  .map((p) => p.join(''));
const cents = (maxDigits: number, decimals: number) =>
  fc.integer({ min: 0, max: 10 ** maxDigits - 1 }).map((n) => Number((n / 10 ** decimals).toFixed(decimals)));
const time = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 19));
const status = fc
  .integer({ min: 0, max: 0xffff })
  .map((n) => ({ raw: n.toString(16).toUpperCase().padStart(4, '0') }));

describe('cjt188 round trips', () => {
  it('any FF-filled subset of the water 901F registers is null, listed as missing, and re-encodes', () => {
    fc.assert(
      fc.property(
        address,
        cents(8, 2),
        cents(8, 2),
        time,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (addr, cur, settle, realtime, noCur, noSettle, noTime) => {
          const b = buildReadDataReply(0x10, addr, '901F', 0, {
            current_cumulative: noCur ? null : cur,
            settlement_cumulative: noSettle ? null : settle,
            realtime: noTime ? undefined : realtime,
            realtime_digits: noTime ? 'FFFFFFFFFFFFFF' : undefined,
            status: { raw: '0000' },
          });
          const d = decode(b);
          const want = [
            ...(noCur ? ['current_cumulative'] : []),
            ...(noSettle ? ['settlement_cumulative'] : []),
            ...(noTime ? ['realtime'] : []),
          ];
          expect(d.data.missing).toEqual(want.length > 0 ? want : undefined);
          expect(d.data.current_cumulative).toBe(noCur ? null : cur);
          expect(d.data.settlement_cumulative).toBe(noSettle ? null : settle);
          expect(d.data.realtime).toBe(noTime ? null : realtime);
          expect(encode(d)).toEqual(b);
        },
      ),
    );
  });

  it('water/gas 901F replies keep every value, unit, address and DI order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x10, 0x11, 0x12, 0x13, 0x30, 0x40),
        address,
        order,
        fc.integer({ min: 0, max: 255 }),
        cents(8, 2),
        fc.constantFrom(...unitNames),
        cents(8, 2),
        time,
        status,
        (t, addr, diOrder, ser, cur, unit, settle, realtime, st) => {
          const body = {
            current_cumulative: cur,
            current_cumulative_unit: unit,
            settlement_cumulative: settle,
            realtime,
            status: st,
          };
          const b = buildReadDataReply(t, addr, '901F', ser, body, { diOrder });
          const d = decode(b);
          expect(d).toMatchObject({ meterType: t, address: addr, di: '901F', diOrder, ser, control: '81' });
          expect(d.data).toMatchObject({
            current_cumulative: cur,
            current_cumulative_unit: unit,
            settlement_cumulative: settle,
            realtime,
          });
          expect((d.data.status as { raw: string }).raw).toBe(st.raw);
          expect(encode(d)).toEqual(b);
        },
      ),
    );
  });

  it('heat 901F replies keep every value', () => {
    fc.assert(
      fc.property(
        cents(8, 2),
        cents(8, 2),
        cents(8, 2),
        cents(8, 4),
        cents(8, 2),
        cents(6, 2),
        cents(6, 2),
        cents(6, 0),
        time,
        order,
        (sh, ch, pw, fl, vol, sup, ret, hrs, realtime, diOrder) => {
          const body = {
            settlement_heat: sh,
            current_heat: ch,
            current_heat_unit: 'GJ',
            heat_power: pw,
            flow_rate: fl,
            current_cumulative: vol,
            supply_temp_C: sup,
            return_temp_C: ret,
            working_hours: hrs,
            realtime,
          };
          const b = buildReadDataReply(0x20, '00000000000001', '901F', 0, body, { diOrder });
          expect(b.length).toBe(13 + 0x2e);
          const d = decode(b);
          expect(d.data).toMatchObject(body);
          expect(encode(d)).toEqual(b);
        },
      ),
    );
  });

  it('any frame that decodes re-encodes to the same bytes', () => {
    const dis = Object.keys(diNames);
    const controls = [0x01, 0x03, 0x04, 0x09, 0x15, 0x16, 0x81, 0x83, 0x84, 0x89, 0x95, 0x96, 0xc1, 0xc4];
    const bcd = fc.integer({ min: 0, max: 99 }).map((n) => Number.parseInt(String(n), 16));
    const frame = fc
      .record({
        pre: fc.integer({ min: 0, max: 4 }),
        t: fc.integer({ min: 0, max: 255 }),
        addr: fc.uint8Array({ minLength: 7, maxLength: 7 }),
        c: fc.constantFrom(...controls),
        di: fc.oneof(
          fc.constantFrom(...dis),
          fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).padStart(4, '0')),
        ),
        swapped: fc.boolean(),
        ser: fc.integer({ min: 0, max: 255 }),
        body: fc.oneof(
          fc.array(bcd, { maxLength: 46 }),
          fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 46 }),
        ),
      })
      .map(({ pre, t, addr, c, di, swapped, ser, body }) => {
        const hi = Number.parseInt(di.slice(0, 2), 16);
        const lo = Number.parseInt(di.slice(2), 16);
        const core = [0x68, t, ...addr, c, 3 + body.length, ...(swapped ? [hi, lo] : [lo, hi]), ser, ...body];
        return Uint8Array.from([...new Array(pre).fill(0xfe), ...core, sum8(Uint8Array.from(core)), 0x16]);
      });
    let decoded = 0;
    fc.assert(
      fc.property(frame, (b) => {
        let d: ReturnType<typeof decode>;
        try {
          d = decode(b);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
          expect((e as ProtocolError).code).toBe('FRAME_FIELD_INVALID');
          return;
        }
        decoded++;
        expect(bytesToHex(encode(d))).toBe(bytesToHex(b));
      }),
      { numRuns: 2000 },
    );
    expect(decoded).toBeGreaterThan(1000);
  });
});

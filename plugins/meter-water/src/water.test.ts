import { AppError, bitTableProblems, cjt188StatusTable } from '@quadmeter/sdk';
import { describeMeterTypeContract } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import water from './index.ts';

describeMeterTypeContract(water);

const day = (d: number) => `2025-06-${String(d).padStart(2, '0')}T08:00:00.000+08:00`;
const r = (d: number, registers: Record<string, number | string>, status?: number) => ({
  ts: day(d),
  registers,
  status,
});
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('meter-water status (CJ/T 188 ST)', () => {
  it('the bit table is consistent', () => {
    expect(bitTableProblems(cjt188StatusTable)).toEqual([]);
  });

  it('decodes the valve and battery bits of ST1', () => {
    expect(water.decodeStatus(0x00)).toEqual({ valve: 'open', batteryLow: false, vendorBits: false });
    expect(water.decodeStatus(0x01)).toEqual({ valve: 'closed', batteryLow: false, vendorBits: false });
    expect(water.decodeStatus(0x03)).toEqual({ valve: 'abnormal', batteryLow: false, vendorBits: false });
    expect(water.decodeStatus(0x02).valve).toBe('unknown');
    expect(water.decodeStatus(0x05)).toEqual({ valve: 'closed', batteryLow: true, vendorBits: false });
  });

  it('reports vendor bits of ST1 D3..D7 and ST2 without guessing their meaning', () => {
    expect(water.decodeStatus(0x08).vendorBits).toBe(true);
    expect(water.decodeStatus(0x0100).vendorBits).toBe(true);
    // ST 21 84 as sent (ST1 = 0x21, ST2 = 0x84): valve bits 01 → closed, vendor bits set
    expect(water.decodeStatus(0x21 | (0x84 << 8))).toEqual({
      valve: 'closed',
      batteryLow: false,
      vendorBits: true,
    });
  });
});

describe('meter-water status per protocol', () => {
  it('decodes an M-Bus status byte by EN 13757-3, not as a CJ/T 188 ST word', () => {
    expect(water.statusProtocols).toEqual(['cjt188', 'mbus']);
    // 0x05: CJ/T 188 → valve closed, battery low; M-Bus → application busy, power low
    expect(water.decodeStatus(0x05, 'cjt188')).toEqual({
      valve: 'closed',
      batteryLow: true,
      vendorBits: false,
    });
    expect(water.decodeStatus(0x05, 'mbus')).toEqual({
      application: 'busy',
      batteryLow: true,
      permanentError: false,
      temporaryError: false,
      vendorBits: false,
    });
    expect(water.decodeStatus(0x18, 'mbus')).toMatchObject({ permanentError: true, temporaryError: true });
    expect(water.decodeStatus(0x01, 'dlt645-2007')).toEqual({});
  });
});

describe('meter-water validate', () => {
  it('flags reverse flow and usage through a closed valve', () => {
    const prev = r(1, { totalVolume: 100, reverseVolume: 1, valve: 'closed' });
    const next = r(2, { totalVolume: 100.5, reverseVolume: 1.2, valve: 'closed' });
    expect(codes(water.validate(prev, next))).toEqual(['REVERSE_FLOW', 'USAGE_WITH_VALVE_CLOSED']);
    const open = r(2, { totalVolume: 100.5, reverseVolume: 1, valve: 'open' });
    expect(water.validate(prev, open)).toEqual([]);
  });

  it('judges the daily rate against the tenant limit', () => {
    const prev = r(1, { totalVolume: 100 });
    expect(codes(water.validate(prev, r(2, { totalVolume: 112 })))).toEqual(['RATE_IMPLAUSIBLE']);
    expect(water.validate(prev, r(2, { totalVolume: 108 }))).toEqual([]);
    const settings = { meterDigits: 5, maxDailyUsage: 5, displayUnit: 'm3' as const };
    expect(codes(water.validate(prev, r(2, { totalVolume: 108 }), { settings }))).toEqual([
      'RATE_IMPLAUSIBLE',
    ]);
    expect(water.validate(prev, r(11, { totalVolume: 140 }), { settings })).toEqual([]);
  });

  it('rejects values beyond the counter, backwards readings and bad states', () => {
    expect(codes(water.validate(null, r(1, { totalVolume: 100000 })))).toEqual(['VALUE_OUT_OF_RANGE']);
    expect(codes(water.validate(r(1, { totalVolume: 50 }), r(2, { totalVolume: 49.5 })))).toEqual([
      'READING_BACKWARDS',
    ]);
    expect(codes(water.validate(null, r(1, { valve: 'half' })))).toEqual(['REGISTER_TYPE']);
    expect(codes(water.validate(null, r(1, { flowRate: -2 })))).toEqual(['VALUE_OUT_OF_RANGE']);
    expect(codes(water.validate(r(2, { totalVolume: 1 }), r(1, { totalVolume: 2 })))).toEqual([
      'TIMESTAMP_NOT_AFTER',
    ]);
  });

  it('uses the tenant meter size for the rollover', () => {
    const settings = { meterDigits: 4, maxDailyUsage: 10, displayUnit: 'm3' as const };
    const prev = r(1, { totalVolume: 9999.2 });
    const next = r(2, { totalVolume: 0.3 });
    expect(codes(water.validate(prev, next, { settings }))).toEqual(['ROLLOVER']);
    expect(codes(water.validate(prev, next))).toEqual(['READING_BACKWARDS']);
    expect(codes(water.validate(null, r(1, { totalVolume: 12000 }), { settings }))).toEqual([
      'VALUE_OUT_OF_RANGE',
    ]);
  });
});

describe('meter-water usage', () => {
  it('computes exact usage, rollover and replacement', () => {
    expect(water.usage(r(1, { totalVolume: 12.345 }), r(2, { totalVolume: 13.1 }))).toEqual({
      registers: { totalVolume: 0.755 },
      rolledOver: [],
    });
    expect(water.usage(r(1, { totalVolume: 99999.5 }), r(2, { totalVolume: 0.25 }))).toEqual({
      registers: { totalVolume: 0.75 },
      rolledOver: ['totalVolume'],
    });
    const settings = { meterDigits: 4, maxDailyUsage: 10, displayUnit: 'm3' as const };
    expect(
      water.usage(r(1, { totalVolume: 9999.5 }), r(2, { totalVolume: 0.25 }), { settings }).registers
        .totalVolume,
    ).toBe(0.75);
    const replacement = { oldFinal: r(3, { totalVolume: 530.2 }), newInitial: r(3, { totalVolume: 0.004 }) };
    expect(
      water.usage(r(1, { totalVolume: 500 }), r(5, { totalVolume: 2.004 }), { replacement }).registers,
    ).toEqual({
      totalVolume: 32.2,
    });
  });

  it('refuses a backwards counter with READING_BACKWARDS naming the register', () => {
    try {
      water.usage(r(1, { totalVolume: 500 }), r(2, { totalVolume: 499 }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('READING_BACKWARDS');
      expect((e as AppError).details).toEqual([
        { path: 'registers.totalVolume', message: expect.stringContaining('backwards') },
      ]);
    }
  });
});

import { bitTableProblems, cjt188StatusTable } from '@quadmeter/sdk';
import { describeMeterTypeContract } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import gas from './index.ts';
import { settingsSchema } from './settings.ts';

describeMeterTypeContract(gas);

const r = (d: number, registers: Record<string, number | string>) => ({
  ts: `2025-11-${String(d).padStart(2, '0')}T06:00:00+08:00`,
  registers,
});
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('meter-gas status (CJ/T 188 ST, T = 30)', () => {
  it('decodes valve and battery and keeps vendor bits opaque', () => {
    expect(bitTableProblems(cjt188StatusTable)).toEqual([]);
    expect(gas.decodeStatus(0x01)).toEqual({ valve: 'closed', batteryLow: false, vendorBits: false });
    expect(gas.decodeStatus(0x07)).toEqual({ valve: 'abnormal', batteryLow: true, vendorBits: false });
    expect(gas.decodeStatus(0x8000).vendorBits).toBe(true);
  });
});

describe('meter-gas validate', () => {
  it('checks the standard/working volume ratio', () => {
    const prev = r(1, { standardVolume: 100, workingVolume: 98 });
    expect(gas.validate(prev, r(2, { standardVolume: 101.02, workingVolume: 99 }))).toEqual([]);
    expect(codes(gas.validate(prev, r(2, { standardVolume: 100.2, workingVolume: 99 })))).toEqual([
      'CORRECTION_IMPLAUSIBLE',
    ]);
    expect(gas.validate(prev, r(2, { standardVolume: 100.01, workingVolume: 98.05 }))).toEqual([]);
    const settings = settingsSchema.parse({ correctionFactorMin: 0.1 });
    expect(gas.validate(prev, r(2, { standardVolume: 100.2, workingVolume: 99 }), { settings })).toEqual([]);
  });

  it('flags gas through a closed valve, a daily excess and implausible temperature and pressure', () => {
    expect(
      codes(
        gas.validate(
          r(1, { workingVolume: 5, valve: 'closed' }),
          r(2, { workingVolume: 5.5, valve: 'closed' }),
        ),
      ),
    ).toEqual(['USAGE_WITH_VALVE_CLOSED']);
    expect(codes(gas.validate(r(1, { standardVolume: 5 }), r(2, { standardVolume: 15 })))).toEqual([
      'RATE_IMPLAUSIBLE',
    ]);
    expect(codes(gas.validate(null, r(1, { temperature: 90, pressure: 10 })))).toEqual([
      'VALUE_OUT_OF_RANGE',
      'VALUE_OUT_OF_RANGE',
    ]);
    expect(gas.validate(null, r(1, { temperature: -5.5, pressure: 103.25 }))).toEqual([]);
  });
});

describe('meter-gas usage', () => {
  it('bills both counters across a rollover of a four-digit meter', () => {
    const settings = settingsSchema.parse({ meterDigits: 4 });
    const u = gas.usage(
      r(1, { standardVolume: 9999.8, workingVolume: 9990 }),
      r(2, { standardVolume: 0.7, workingVolume: 9990.9 }),
      { settings },
    );
    expect(u).toEqual({
      registers: { standardVolume: 0.9, workingVolume: 0.9 },
      rolledOver: ['standardVolume'],
    });
  });
});

import { describeMeterTypeContract } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import heat from './index.ts';
import { settingsSchema } from './settings.ts';

describeMeterTypeContract(heat);

const r = (h: number, registers: Record<string, number | string>) => ({
  ts: new Date(Date.UTC(2025, 0, 10) + h * 3_600_000).toISOString(),
  registers,
});
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('meter-heat display units', () => {
  it('shows heat in GJ: 1000 kWh = 3.6 GJ', () => {
    const gj = heat.displayUnits.find((u) => u.register === 'heatEnergy' && u.unit === 'GJ');
    expect(gj && 1000 * gj.factor).toBeCloseTo(3.6, 12);
  });
});

describe('meter-heat status per protocol', () => {
  it('reads M-Bus heat meters by the EN 13757-3 status byte', () => {
    expect(heat.statusProtocols).toContain('mbus');
    expect(heat.decodeStatus(0x08, 'mbus')).toMatchObject({ application: 'ok', permanentError: true });
    expect(heat.decodeStatus(0x08, 'cjt188')).toMatchObject({ valve: 'open', vendorBits: true });
  });
});

describe('meter-heat validate', () => {
  const instant = {
    flowRate: 0.5,
    supplyTemperature: 55.2,
    returnTemperature: 45.1,
    temperatureDifference: 10.1,
    power: 5.87,
  };

  it('accepts consistent temperatures and power', () => {
    expect(heat.validate(null, r(0, instant))).toEqual([]);
  });

  it('flags a temperature difference that does not match supply − return', () => {
    expect(codes(heat.validate(null, r(0, { ...instant, temperatureDifference: 12 })))).toContain(
      'TEMPERATURE_DIFF_MISMATCH',
    );
  });

  it('flags power far from flow × ΔT × 1.163', () => {
    expect(codes(heat.validate(null, r(0, { ...instant, power: 12 })))).toEqual(['POWER_MISMATCH']);
    expect(heat.validate(null, r(0, { ...instant, flowRate: 0.01, power: 0.2 }))).toEqual([]);
  });

  it('flags heat counted without flow and impossible operating hours', () => {
    const prev = r(0, { heatEnergy: 1000, volume: 50, operatingHours: 100 });
    expect(heat.validate(prev, r(24, { heatEnergy: 1040, volume: 50.8, operatingHours: 124 }))).toEqual([]);
    expect(codes(heat.validate(prev, r(24, { heatEnergy: 1040, volume: 50, operatingHours: 124 })))).toEqual([
      'ENERGY_WITHOUT_FLOW',
    ]);
    expect(
      codes(heat.validate(prev, r(24, { heatEnergy: 1040, volume: 50.8, operatingHours: 200 }))),
    ).toEqual(['OPERATING_HOURS_IMPLAUSIBLE']);
  });

  it('judges daily heat against the tenant limit', () => {
    const prev = r(0, { heatEnergy: 1000 });
    expect(codes(heat.validate(prev, r(24, { heatEnergy: 1600 })))).toEqual(['RATE_IMPLAUSIBLE']);
    const settings = settingsSchema.parse({ maxDailyEnergy: 800 });
    expect(heat.validate(prev, r(24, { heatEnergy: 1600 }), { settings })).toEqual([]);
  });
});

describe('meter-heat usage', () => {
  it('wraps heat and volume at 999999.99 and hours at 999999', () => {
    const u = heat.usage(
      r(0, { heatEnergy: 999990, volume: 12.5, operatingHours: 999990 }),
      r(24, { heatEnergy: 20.01, volume: 13, operatingHours: 14 }),
    );
    expect(u).toEqual({
      registers: { heatEnergy: 30.01, volume: 0.5, operatingHours: 24 },
      rolledOver: ['heatEnergy', 'operatingHours'],
    });
  });

  it('adds the runs of a replaced meter', () => {
    const replacement = { oldFinal: r(10, { heatEnergy: 5200.4 }), newInitial: r(11, { heatEnergy: 0 }) };
    expect(
      heat.usage(r(0, { heatEnergy: 5000 }), r(24, { heatEnergy: 35.6 }), { replacement }).registers,
    ).toEqual({ heatEnergy: 236 });
  });
});

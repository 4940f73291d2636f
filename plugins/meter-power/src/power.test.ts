import { bitTableProblems } from '@quadmeter/sdk';
import { describeMeterTypeContract } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import power from './index.ts';
import { statusTable } from './status.ts';

describeMeterTypeContract(power);

const r = (d: number, registers: Record<string, number | string>) => ({
  ts: `2025-01-${String(d).padStart(2, '0')}T00:00:00Z`,
  registers,
});
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('meter-power registers', () => {
  it('declares import and export energy with four tariffs, per-phase values and the relay', () => {
    const keys = power.registers.map((x) => x.key);
    for (const k of [
      'activeImportTotal',
      'activeImportT4',
      'activeExportT1',
      'reactive1Total',
      'voltageC',
      'currentA',
      'activePower',
      'powerFactor',
      'relay',
      'prepaidBalance',
    ]) {
      expect(keys).toContain(k);
    }
    const billable = power.registers.filter((x) => x.billable).map((x) => x.key);
    expect(billable).toEqual([
      'activeImportTotal',
      'activeImportT1',
      'activeImportT2',
      'activeImportT3',
      'activeImportT4',
    ]);
  });
});

describe('meter-power status (DL/T 645 run status words 1 and 3)', () => {
  it('the bit table is consistent', () => {
    expect(bitTableProblems(statusTable)).toEqual([]);
  });

  it('decodes word 1 in the low half and word 3 in the high half', () => {
    const ok = power.decodeStatus(0);
    expect(ok).toMatchObject({ relay: 'closed', supply: 'main', activeReversed: false });
    expect(power.decodeStatus(0x0010).activeReversed).toBe(true);
    expect(power.decodeStatus(0x0004).clockBatteryLow).toBe(true);
    expect(power.decodeStatus(0x0010 << 16)).toMatchObject({ relay: 'open', activeReversed: false });
    expect(power.decodeStatus(0x0040 << 16).relayCommandTrip).toBe(true);
    expect(power.decodeStatus(0x0004 << 16).supply).toBe('battery');
    expect(power.decodeStatus(0x0080 << 16).preTripAlarm).toBe(true);
  });
});

describe('meter-power validate', () => {
  const full = {
    activeImportTotal: 100,
    activeImportT1: 10,
    activeImportT2: 30,
    activeImportT3: 40,
    activeImportT4: 20,
  };

  it('accepts tariffs that add up and flags those that do not', () => {
    expect(power.validate(null, r(1, full))).toEqual([]);
    expect(power.validate(null, r(1, { ...full, activeImportT4: 20.04 }))).toEqual([]);
    expect(codes(power.validate(null, r(1, { ...full, activeImportT4: 25 })))).toEqual([
      'TARIFF_SUM_MISMATCH',
    ]);
  });

  it('flags energy imported through an open relay', () => {
    const prev = r(1, { activeImportTotal: 100, relay: 'open' });
    expect(codes(power.validate(prev, r(2, { activeImportTotal: 103, relay: 'open' })))).toEqual([
      'USAGE_WITH_RELAY_OPEN',
    ]);
    expect(power.validate(prev, r(2, { activeImportTotal: 103, relay: 'closed' }))).toEqual([]);
  });

  it('checks daily energy, ranges and the balance in whole fen', () => {
    expect(codes(power.validate(r(1, { activeImportTotal: 100 }), r(2, { activeImportTotal: 350 })))).toEqual(
      ['RATE_IMPLAUSIBLE'],
    );
    expect(codes(power.validate(null, r(1, { powerFactor: 1.2 })))).toEqual(['VALUE_OUT_OF_RANGE']);
    expect(codes(power.validate(null, r(1, { prepaidBalance: 12.5 })))).toEqual(['REGISTER_TYPE']);
    expect(power.validate(null, r(1, { prepaidBalance: -300 }))).toEqual([]);
  });
});

describe('meter-power usage', () => {
  it('gives per-tariff usage and wraps at 999999.99 kWh', () => {
    const u = power.usage(
      r(1, { activeImportTotal: 999999.5, activeImportT1: 12.34, activeImportT2: 0.1 }),
      r(2, { activeImportTotal: 1.25, activeImportT1: 13, activeImportT2: 0.3 }),
    );
    expect(u).toEqual({
      registers: { activeImportTotal: 1.75, activeImportT1: 0.66, activeImportT2: 0.2 },
      rolledOver: ['activeImportTotal'],
    });
  });

  it('wraps at the tenant meter size', () => {
    const settings = {
      meterDigits: 5,
      maxDailyEnergy: 200,
      tariffSumTolerance: 0.05,
      displayEnergyUnit: 'kWh' as const,
    };
    const u = power.usage(r(1, { activeImportTotal: 99999.9 }), r(2, { activeImportTotal: 0.2 }), {
      settings,
    });
    expect(u.registers.activeImportTotal).toBe(0.3);
  });
});

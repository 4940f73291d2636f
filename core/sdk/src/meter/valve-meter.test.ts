import { describe, expect, it } from 'vitest';
import { anomalyRuleSchema } from '../kinds/anomaly-rule.ts';
import { registerDefSchema } from '../kinds/meter-type-schema.ts';
import { bitTableStatus } from './bit-table-status.ts';
import { counterGrowth } from './counter-growth.ts';
import { cumulativeRollovers } from './cumulative-rollovers.ts';
import { bitTableProblems } from './status-bits.ts';
import {
  batteryVoltageRegister,
  CLOSED_VALVE_TOLERANCE,
  cjt188StatusTable,
  closedValveUsageIssues,
  valveMeterStatusRules,
  valveRegister,
} from './valve-meter.ts';

const at = (ts: string, registers: Record<string, number | string>) => ({ ts, registers });

describe('CJ/T 188 status table', () => {
  const { decodeStatus, statusFields } = bitTableStatus(cjt188StatusTable, 'cjt188');

  it('is consistent and declares each field once', () => {
    expect(bitTableProblems(cjt188StatusTable)).toEqual([]);
    expect(statusFields.map((f) => f.key)).toEqual(['valve', 'batteryLow', 'vendorBits']);
    expect(statusFields[0].values).toEqual(['open', 'closed', 'unknown', 'abnormal']);
  });

  it('reads the valve from ST1 D1D0, the battery from D2 and the rest as vendor bits', () => {
    expect(decodeStatus(0x00)).toEqual({ valve: 'open', batteryLow: false, vendorBits: false });
    expect(decodeStatus(0x01).valve).toBe('closed');
    expect(decodeStatus(0x02).valve).toBe('unknown');
    expect(decodeStatus(0x07)).toEqual({ valve: 'abnormal', batteryLow: true, vendorBits: false });
    expect(decodeStatus(0x08).vendorBits).toBe(true);
    expect(decodeStatus(0x80 << 8)).toEqual({ valve: 'open', batteryLow: false, vendorBits: true });
    expect(decodeStatus(0x1_0000).vendorBits).toBe(false);
  });
});

describe('valve meter registers and rules', () => {
  it('are valid declarations whose status rules name fields of the table', () => {
    expect(registerDefSchema.safeParse(valveRegister).success).toBe(true);
    expect(registerDefSchema.safeParse(batteryVoltageRegister).success).toBe(true);
    const keys = cjt188StatusTable.map((f) => f.key);
    for (const rule of valveMeterStatusRules) {
      expect(anomalyRuleSchema.parse(rule)).toEqual(rule);
      expect(rule.type === 'status' && keys.includes(rule.field)).toBe(true);
    }
    expect(valveMeterStatusRules.map((r) => r.id)).toEqual(['battery-low', 'valve-abnormal']);
  });
});

describe('closedValveUsageIssues', () => {
  const closed = at('2025-01-01T00:00:00Z', { valve: 'closed' });
  const message = (used: number) => `${used} m³ through a closed valve`;

  it('fires only when the valve reads closed in both readings and more than the tolerance passed', () => {
    const issues = closedValveUsageIssues(closed, closed, { used: 0.5, register: 'total', message });
    expect(issues).toEqual([
      {
        code: 'USAGE_WITH_VALVE_CLOSED',
        severity: 'warning',
        register: 'total',
        message: '0.5 m³ through a closed valve',
      },
    ]);
    const open = at('2025-01-02T00:00:00Z', { valve: 'open' });
    expect(closedValveUsageIssues(closed, open, { used: 0.5, message })).toEqual([]);
    expect(closedValveUsageIssues(open, closed, { used: 0.5, message })).toEqual([]);
    expect(closedValveUsageIssues(closed, closed, { used: CLOSED_VALVE_TOLERANCE, message })).toEqual([]);
    expect(closedValveUsageIssues(closed, closed, { used: undefined, message })).toEqual([]);
  });

  it('leaves the register out when none is named', () => {
    const [issue] = closedValveUsageIssues(closed, closed, { used: 0.02, message });
    expect(issue).toEqual({
      code: 'USAGE_WITH_VALVE_CLOSED',
      severity: 'warning',
      message: '0.02 m³ through a closed valve',
    });
    expect('register' in issue).toBe(false);
  });
});

describe('counterGrowth', () => {
  const spec = { decimals: 3, rolloverMax: 99999.999 };
  it('gives forward and wrapped growth, and nothing for gaps or backwards counters', () => {
    const prev = at('a', { total: 99999.5, other: 10.1 });
    expect(counterGrowth(prev, at('b', { total: 0.25, other: 10.3 }), 'other', spec)).toBe(0.2);
    expect(counterGrowth(prev, at('b', { total: 0.25 }), 'total', spec)).toBe(0.75);
    expect(counterGrowth(prev, at('b', { other: 9 }), 'other', spec)).toBeUndefined();
    expect(counterGrowth(prev, at('b', { total: 1 }), 'other', spec)).toBeUndefined();
    expect(counterGrowth(prev, at('b', { other: 'x' }), 'other', spec)).toBeUndefined();
  });
});

describe('cumulativeRollovers', () => {
  it('sizes every cumulative register by the digits, keeping its decimals', () => {
    const t = { 'zh-CN': '量', en: 'q' };
    const registers = [
      { key: 'energy', title: t, unit: 'kWh', decimals: 2, billable: true, kind: 'cumulative' as const },
      { key: 'hours', title: t, unit: 'h', decimals: 0, billable: false, kind: 'cumulative' as const },
      { key: 'power', title: t, unit: 'kW', decimals: 2, billable: false, kind: 'instant' as const },
    ];
    expect(cumulativeRollovers(registers, 6)).toEqual({ energy: 999999.99, hours: 999999 });
    expect(cumulativeRollovers(registers, 4)).toEqual({ energy: 9999.99, hours: 9999 });
  });
});

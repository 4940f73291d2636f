import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RegisterDef } from '../kinds/meter-type.ts';
import { readingIssues } from './checks.ts';
import { counterStep, rolloverMaxForDigits } from './counter.ts';
import { bitTableProblems, decodeBits, statusFieldsOf } from './status-bits.ts';
import { cumulativeUsage } from './usage.ts';

const t = { 'zh-CN': '量', en: 'q' };
const regs: RegisterDef[] = [
  {
    key: 'total',
    title: t,
    unit: 'm3',
    decimals: 3,
    rolloverMax: 99999.999,
    billable: true,
    kind: 'cumulative',
  },
  { key: 'rate', title: t, unit: 'm3/h', decimals: 3, billable: false, kind: 'instant', min: 0, max: 10 },
  {
    key: 'valve',
    title: t,
    unit: '',
    decimals: 0,
    billable: false,
    kind: 'state',
    states: ['open', 'closed'],
  },
];

describe('counters', () => {
  it('derives the rollover from digits', () => {
    expect(rolloverMaxForDigits(5, 3)).toBe(99999.999);
    expect(rolloverMaxForDigits(6, 2)).toBe(999999.99);
    expect(rolloverMaxForDigits(6, 0)).toBe(999999);
  });

  it('tells forward, rollover and backwards apart without float noise', () => {
    const spec = { decimals: 3, rolloverMax: 99999.999 };
    expect(counterStep(0.1, 0.3, spec)).toEqual({ kind: 'forward', delta: 0.2 });
    expect(counterStep(99999.999, 0, spec)).toEqual({ kind: 'rollover', delta: 0.001 });
    expect(counterStep(60000, 100, spec)).toEqual({ kind: 'backwards', by: 59900 });
    expect(counterStep(5, 4, { decimals: 3 })).toEqual({ kind: 'backwards', by: 1 });
  });

  it('forward deltas are exact to the register decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5e7 }), fc.integer({ min: 0, max: 4e7 }), (a, d) => {
        const s = counterStep(a / 1000, (a + d) / 1000, { decimals: 3, rolloverMax: 99999.999 });
        expect(s).toEqual({ kind: 'forward', delta: d / 1000 });
      }),
    );
  });
});

describe('cumulativeUsage', () => {
  const at = (ts: string, registers: Record<string, number | string>) => ({ ts, registers });
  it('skips registers absent from either reading and honours rollover overrides', () => {
    expect(cumulativeUsage(regs, at('a', { total: 1 }), at('b', { rate: 2 }))).toEqual({
      registers: {},
      rolledOver: [],
    });
    expect(
      cumulativeUsage(regs, at('a', { total: 9999.5 }), at('b', { total: 0.5 }), {
        rolloverMax: { total: 9999.999 },
      }),
    ).toEqual({
      registers: { total: 1 },
      rolledOver: ['total'],
    });
  });
});

describe('readingIssues', () => {
  const at = (ts: string, registers: Record<string, number | string>) => ({ ts, registers });
  it('reports unknown keys, types, ranges and time order', () => {
    const issues = readingIssues(
      regs,
      null,
      at('2025-01-01T00:00:00Z', { total: -1, rate: 11, valve: 'ajar', extra: 1 }),
    );
    expect(issues.map((i) => [i.code, i.severity, i.register])).toEqual([
      ['VALUE_OUT_OF_RANGE', 'error', 'total'],
      ['VALUE_OUT_OF_RANGE', 'warning', 'rate'],
      ['REGISTER_TYPE', 'error', 'valve'],
      ['REGISTER_UNKNOWN', 'warning', 'extra'],
    ]);
    expect(readingIssues(regs, null, at('yesterday', {})).map((i) => i.code)).toEqual(['TIMESTAMP_INVALID']);
  });

  it('scales the daily limit by the elapsed time, judging at least an hour', () => {
    const prev = at('2025-01-01T00:00:00Z', { total: 10 });
    const o = { maxPerDay: { total: 24 } };
    expect(readingIssues(regs, prev, at('2025-01-01T02:00:00Z', { total: 11.9 }), o)).toEqual([]);
    expect(
      readingIssues(regs, prev, at('2025-01-01T02:00:00Z', { total: 12.1 }), o).map((i) => i.code),
    ).toEqual(['RATE_IMPLAUSIBLE']);
    expect(readingIssues(regs, prev, at('2025-01-01T00:00:01Z', { total: 10.9 }), o)).toEqual([]);
  });
});

describe('status bits', () => {
  const table = [
    { key: 'valve', title: t, shift: 0, values: ['open', 'closed', 'unknown', 'abnormal'] },
    { key: 'low', title: t, mask: 1 << 2 },
    { key: 'high', title: t, mask: 0x8000_0000 },
  ];
  it('decodes flags and states, including bit 31', () => {
    expect(decodeBits(0x8000_0007, table)).toEqual({ valve: 'abnormal', low: true, high: true });
    expect(statusFieldsOf(table)[0]).toEqual({
      key: 'valve',
      title: t,
      values: ['open', 'closed', 'unknown', 'abnormal'],
    });
  });
  it('finds overlapping fields and bad widths', () => {
    expect(bitTableProblems(table)).toEqual([]);
    expect(bitTableProblems([...table, { key: 'x', title: t, mask: 1 }])).toEqual([
      'x: shares bits with an earlier field',
    ]);
    expect(bitTableProblems([{ key: 'y', title: t, shift: 0, values: ['a', 'b', 'c'] }])).toEqual([
      'y: needs 2, 4, 8 … values',
    ]);
  });
});

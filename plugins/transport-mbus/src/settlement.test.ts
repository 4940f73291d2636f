import { describe, expect, it } from 'vitest';
import { nextDayIfMonthEnd, settlementMonth } from './read.ts';

describe('which month a stored M-Bus value opens', () => {
  it('a value of the 1st opens its month, one of the last day the next; other days their own', () => {
    expect(settlementMonth('2026-03-01')).toBe('2026-03');
    expect(settlementMonth('2026-02-28')).toBe('2026-03');
    expect(settlementMonth('2024-02-28')).toBe('2024-02');
    expect(settlementMonth('2024-02-29')).toBe('2024-03');
    expect(settlementMonth('2025-12-31')).toBe('2026-01');
    expect(settlementMonth('2026-03-15T00:00')).toBe('2026-03');
    expect(nextDayIfMonthEnd('2026-04-30')).toBe('2026-05-01');
    expect(nextDayIfMonthEnd('2026-04-29')).toBe('2026-04-29');
  });
});

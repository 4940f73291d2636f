import { describe, expect, it } from 'vitest';
import { bucketOf, buckets, checkDay, growth, shift } from './period.ts';

describe('stats periods', () => {
  it('buckets a range by day, month and year', () => {
    expect(buckets('2025-12-30', '2026-01-02', 'day')).toEqual([
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
    ]);
    expect(buckets('2025-11-15', '2026-02-01', 'month')).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
    ]);
    expect(buckets('2024-06-01', '2026-01-01', 'year')).toEqual(['2024-01-01', '2025-01-01', '2026-01-01']);
  });

  it('moves buckets across month and year ends', () => {
    expect(shift('2026-01-01', 'month', -1)).toBe('2025-12-01');
    expect(shift('2025-12-01', 'month', 1)).toBe('2026-01-01');
    expect(shift('2026-03-01', 'month', -12)).toBe('2025-03-01');
    expect(shift('2024-03-01', 'day', -1)).toBe('2024-02-29');
    expect(shift('2026-01-01', 'year', -1)).toBe('2025-01-01');
    expect(bucketOf('2026-07-19', 'month')).toBe('2026-07-01');
  });

  it('refuses impossible dates, reversed and oversized ranges with stable codes', () => {
    expect(() => checkDay('2025-02-29', 'from')).toThrow(
      expect.objectContaining({ code: 'STATS_RANGE_INVALID' }),
    );
    expect(() => buckets('2025-03-02', '2025-03-01', 'day')).toThrow(
      expect.objectContaining({ code: 'STATS_RANGE_INVALID' }),
    );
    expect(() => buckets('2025-01-01', '2026-01-02', 'day')).toThrow(
      expect.objectContaining({ code: 'STATS_RANGE_TOO_LARGE' }),
    );
    expect(buckets('2025-01-01', '2025-12-31', 'day')).toHaveLength(365);
    expect(() => buckets('2000-01-01', '2025-01-01', 'month')).toThrow(
      expect.objectContaining({ code: 'STATS_RANGE_TOO_LARGE' }),
    );
  });

  it('growth is a rounded fraction, null without a base', () => {
    expect(growth(130, 40)).toBe(2.25);
    expect(growth(50, 80)).toBe(-0.375);
    expect(growth(5, 0)).toBeNull();
    expect(growth(5, null)).toBeNull();
  });
});

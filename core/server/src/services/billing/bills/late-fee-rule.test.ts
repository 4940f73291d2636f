import { describe, expect, it } from 'vitest';
import { addDays, dailyFee, lateFeeCap, lateFeesDue, DEFAULT_LATE_FEE_POLICY as P } from './late-fee-rule.ts';

const bill = (over: Partial<Parameters<typeof lateFeesDue>[0]> = {}) => ({
  dueDate: '2026-11-15',
  principalFen: 123_456,
  unpaidPrincipalFen: 123_456,
  lateSoFarFen: 0,
  chargedDays: new Set<string>(),
  ...over,
});

describe('late-fee rule', () => {
  it('rounds principal × rate half-up to fen and applies the minimum', () => {
    expect(dailyFee(123_456, P)).toBe(123); // 123.456
    expect(dailyFee(123_500, P)).toBe(124); // 123.5 → half-up
    expect(dailyFee(123_456, { ...P, perMillePerDay: '3' })).toBe(370); // 370.368
    expect(dailyFee(5_000, P)).toBe(100); // 5 fen → the 1 元 minimum
    expect(dailyFee(5_000, { ...P, minFen: 0 })).toBe(5);
    expect(dailyFee(0, P)).toBe(0);
    expect(dailyFee(123_456, { ...P, perMillePerDay: '0' })).toBe(0);
  });

  it('charges each day after due date + grace once, through today', () => {
    expect(lateFeesDue(bill(), '2026-11-15', P)).toEqual([]);
    expect(lateFeesDue(bill(), '2026-11-17', P)).toEqual([
      { day: '2026-11-16', fen: 123 },
      { day: '2026-11-17', fen: 123 },
    ]);
    expect(lateFeesDue(bill(), '2026-11-17', { ...P, graceDays: 1 })).toEqual([
      { day: '2026-11-17', fen: 123 },
    ]);
    const again = lateFeesDue(
      bill({ chargedDays: new Set(['2026-11-16']), lateSoFarFen: 123 }),
      '2026-11-17',
      P,
    );
    expect(again).toEqual([{ day: '2026-11-17', fen: 123 }]);
  });

  it('never lets the bill’s late fees pass cap% of the principal', () => {
    // principal 10 元, minimum 1 元 a day, cap 15% = 150 fen: 100 then 50, then nothing
    const small = bill({ principalFen: 1_000, unpaidPrincipalFen: 1_000 });
    const capped = lateFeesDue(small, '2026-11-30', { ...P, capPercent: '15' });
    expect(capped).toEqual([
      { day: '2026-11-16', fen: 100 },
      { day: '2026-11-17', fen: 50 },
    ]);
    expect(lateFeeCap(1_000, { ...P, capPercent: '15' })).toBe(150);
    expect(lateFeesDue({ ...small, lateSoFarFen: 150 }, '2026-12-30', { ...P, capPercent: '15' })).toEqual(
      [],
    );
  });

  it('charges nothing on a paid bill and catches up at most MAX_CATCH_UP_DAYS', () => {
    expect(lateFeesDue(bill({ unpaidPrincipalFen: 0 }), '2026-12-30', P)).toEqual([]);
    const long = lateFeesDue(
      bill({ dueDate: '2020-01-01', principalFen: 10 ** 9, unpaidPrincipalFen: 10 ** 9 }),
      '2026-11-30',
      P,
    );
    expect(long.length).toBe(401);
    expect(long[0].day).toBe(addDays('2026-11-30', -400));
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});

import { describe, expect, it } from 'vitest';
import { derivePlan } from './reading-plan-derive.ts';

const s = (cron: string) => ({ id: cron, name: cron, cron });
const ALL = Array.from({ length: 31 }, (_, i) => i + 1);

describe('the reading plan derived from schedules', () => {
  it('reads every day half an hour before the earliest daily pull, one block per port', () => {
    expect(derivePlan([s('0 2 * * *'), s('15 1 * * 1')], [31, 2, 2])).toEqual([
      {
        port: 2,
        days: ALL,
        time: '00:45',
        intervalMinutes: 60,
        segments: [{ start: '00:00', end: '24:00' }],
      },
      {
        port: 31,
        days: ALL,
        time: '00:45',
        intervalMinutes: 60,
        segments: [{ start: '00:00', end: '24:00' }],
      },
    ]);
  });

  it('reads only on the listed days of monthly schedules, and never before midnight', () => {
    const [p] = derivePlan([s('10 0 1 * *'), s('0 3 15,28 * *')], [2]);
    expect(p.days).toEqual([1, 15, 28]);
    expect(p.time).toBe('00:00');
  });

  it('takes 00:00 when no schedule names a fixed time, and nothing without schedules or ports', () => {
    expect(derivePlan([s('5 * * * *')], [2])[0]).toMatchObject({ days: ALL, time: '00:00' });
    expect(derivePlan([s('*/15 1-3 * * *')], [2])[0]).toMatchObject({ days: ALL, time: '00:00' });
    expect(derivePlan([], [2])).toEqual([]);
    expect(derivePlan([s('0 1 * * *')], [])).toEqual([]);
  });
});

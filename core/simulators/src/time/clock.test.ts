import { describe, expect, it } from 'vitest';
import { ElectricityMeter } from '../meters/electricity-meter.ts';
import { householdProfile } from '../meters/load-profile.ts';
import { HeldClock, ManualClock } from './clock.ts';

const DAY = 86_400_000;

describe('HeldClock', () => {
  it('reads `since` until released, then the system time', () => {
    const c = new HeldClock(1_000);
    expect(c.now()).toBe(1_000);
    c.release();
    expect(Math.abs(c.now() - Date.now())).toBeLessThan(1_000);
  });

  it('starts a meter as if it had run since then, so a later start never reads lower', () => {
    const since = Date.now() - 2 * DAY;
    const build = () => {
      const clock = new HeldClock(since);
      const m = new ElectricityMeter({
        address: '000000000001',
        clock,
        load: householdProfile(2),
        initialEnergy: 1000,
      });
      clock.release();
      m.advance();
      return m;
    };
    const first = build().registers().positive[0];
    // two days of a household's load on top of the starting register
    expect(first).toBeGreaterThan(1010);
    const ref = new ManualClock(since);
    const same = new ElectricityMeter({
      address: '000000000001',
      clock: ref,
      load: householdProfile(2),
      initialEnergy: 1000,
    });
    ref.set(Date.now());
    expect(Math.abs(same.registers().positive[0] - first)).toBeLessThan(0.05);
    const later = build().registers().positive[0];
    expect(later).toBeGreaterThanOrEqual(first);
  });
});

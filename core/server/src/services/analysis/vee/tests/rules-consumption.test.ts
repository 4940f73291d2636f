import { describe, expect, it } from 'vitest';
import {
  counterRollback,
  meterReplaced,
  usageDrop,
  usageSpike,
  zeroConsumption,
} from '../rules/consumption.ts';
import { counter, hourly, win } from './build.ts';

const steady = counter(0.0125); // 0.3 a day

describe('zero-consumption', () => {
  const p = zeroConsumption.defaults;
  const frozen = hourly(24 * 30, (ago) => ({ value: ago < 24 * 10 ? steady(24 * 10) : steady(ago) }));
  it('fires on an occupied account whose counter stood still for 7 days', () => {
    const h = zeroConsumption.evaluate(win({}, frozen), p);
    expect(h?.rule).toBe('zero-consumption');
    expect(h?.evidence.readings).toHaveLength(2);
  });
  it('does not fire on a vacant account, a moving counter, or a meter too recently read', () => {
    expect(zeroConsumption.evaluate(win({ occupied: false }, frozen), p)).toBeNull();
    expect(
      zeroConsumption.evaluate(
        win(
          {},
          hourly(24 * 30, (a) => ({ value: steady(a) })),
        ),
        p,
      ),
    ).toBeNull();
    const short = hourly(24 * 3, () => ({ value: 5 }));
    expect(zeroConsumption.evaluate(win({}, short), p)).toBeNull();
  });
  it('honours a tuned number of days', () => {
    expect(zeroConsumption.evaluate(win({}, frozen), { ...p, days: 12 })).toBeNull();
  });
});

describe('usage-spike and usage-drop', () => {
  const withLastDay = (factor: number) =>
    hourly(24 * 20, (ago) => {
      let v = 100;
      for (let a = 24 * 20; a > ago; a--) v += a <= 24 ? 0.0125 * factor : 0.0125;
      return { value: v };
    });
  it('spike fires when yesterday was more than 3× the own profile, not when under minUsage', () => {
    expect(usageSpike.evaluate(win({}, withLastDay(5)), usageSpike.defaults)?.rule).toBe('usage-spike');
    expect(usageSpike.evaluate(win({}, withLastDay(5)), { ...usageSpike.defaults, minUsage: 2 })).toBeNull();
  });
  it('spike fires above factor and minUsage, not at 2×', () => {
    const p = { ...usageSpike.defaults, minUsage: 0.5 };
    expect(usageSpike.evaluate(win({}, withLastDay(5)), p)?.evidence.usage).toBeCloseTo(1.5, 2);
    expect(usageSpike.evaluate(win({}, withLastDay(2)), p)).toBeNull();
  });
  it('drop fires below 0.2× the profile but not on zero or at 0.5×', () => {
    const p = { ...usageDrop.defaults, minUsage: 0.1 };
    expect(usageDrop.evaluate(win({}, withLastDay(0.1)), p)?.rule).toBe('usage-drop');
    expect(usageDrop.evaluate(win({}, withLastDay(0)), p)).toBeNull();
    expect(usageDrop.evaluate(win({}, withLastDay(0.5)), p)).toBeNull();
  });
});

describe('counter-rollback and meter-replaced', () => {
  const back = (to: number) =>
    hourly(48, (ago) => ({ value: ago < 10 ? to + (10 - ago) * 0.01 : 500 + (48 - ago) * 0.01 }));
  it('a step back to mid-range is a rollback, to near zero a replacement', () => {
    expect(
      counterRollback.evaluate(win({}, back(400)), counterRollback.defaults)?.evidence.readings,
    ).toHaveLength(2);
    expect(meterReplaced.evaluate(win({}, back(400)), meterReplaced.defaults)).toBeNull();
    expect(meterReplaced.evaluate(win({}, back(0.2)), meterReplaced.defaults)?.rule).toBe('meter-replaced');
    expect(counterRollback.evaluate(win({}, back(0.2)), counterRollback.defaults)).toBeNull();
  });
  it('neither fires at a recorded replacement, at a wrap, or on a steady counter', () => {
    const at = new Date(back(0.2)[38]?.ts.getTime() as number);
    expect(meterReplaced.evaluate(win({ replacedAt: [at] }, back(0.2)), meterReplaced.defaults)).toBeNull();
    const wrap = hourly(48, (ago) => ({ value: ago < 10 ? (10 - ago) * 0.5 : 9990 + (48 - ago) * 0.2 }));
    expect(meterReplaced.evaluate(win({ rolloverMax: 9999.999 }, wrap), meterReplaced.defaults)).toBeNull();
    expect(
      counterRollback.evaluate(
        win(
          {},
          hourly(48, (a) => ({ value: steady(a) })),
        ),
        counterRollback.defaults,
      ),
    ).toBeNull();
  });
});

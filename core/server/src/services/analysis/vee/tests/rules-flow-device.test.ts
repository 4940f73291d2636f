import { describe, expect, it } from 'vitest';
import { clockDrift, lowBattery, noData, tamper, valveFault } from '../rules/device.ts';
import { nightFlow, reverseFlow } from '../rules/flow.ts';
import { counter, hourly, NOW, win } from './build.ts';

const steady = counter(0.0125);
const localHour = (ago: number) => (24 - (ago % 24) + 8) % 24;

describe('reverse-flow', () => {
  const p = reverseFlow.defaults;
  const rev = (perHour: number) =>
    hourly(24 * 5, (ago) => ({ value: steady(ago), registers: { reverseVolume: (120 - ago) * perHour } }));
  it('fires when the reverse register grew past minDelta', () => {
    expect(reverseFlow.evaluate(win({}, rev(0.05)), p)?.evidence.register).toBe('reverseVolume');
    const ct = hourly(24 * 5, (ago) => ({ value: 10, registers: { activeExportTotal: (120 - ago) * 0.3 } }));
    expect(reverseFlow.evaluate(win({ medium: 'electricity' }, ct), p)?.rule).toBe('reverse-flow');
  });
  it('does not fire on a flat reverse register or a recorded exporter', () => {
    expect(reverseFlow.evaluate(win({}, rev(0)), p)).toBeNull();
    const solar = hourly(24 * 5, (ago) => ({
      value: 10,
      registers: { activeExportTotal: (120 - ago) * 0.3 },
    }));
    expect(reverseFlow.evaluate(win({ medium: 'electricity', exports: true }, solar), p)).toBeNull();
  });
});

describe('night-flow', () => {
  const p = nightFlow.defaults;
  // daytime use only; `leak` adds a constant flow around the clock
  const meter = (leak: number, nights = 30) =>
    hourly(24 * nights, (ago) => {
      let v = 100;
      for (let a = 24 * nights; a > ago; a--) v += (localHour(a) >= 6 ? 0.015 : 0) + leak;
      return { value: v };
    });
  it('fires when the night never went below minRate', () => {
    expect(nightFlow.evaluate(win({}, meter(0.02, 6)), p)?.evidence.nightMinima).toHaveLength(3);
  });
  it('does not fire with quiet nights, on a master meter, or under a higher threshold', () => {
    expect(nightFlow.evaluate(win({}, meter(0, 6)), p)).toBeNull();
    expect(nightFlow.evaluate(win({}, meter(0.02, 6), { subUsageByDay: new Map([['x', 1]]) }), p)).toBeNull();
    expect(nightFlow.evaluate(win({}, meter(0.02, 6)), { ...p, minRate: 0.05 })).toBeNull();
  });
});

describe('no-data', () => {
  it('fires after 26 silent hours and names the concentrator', () => {
    const h = noData.evaluate(
      win(
        {},
        hourly(100, (ago) => (ago < 30 ? null : { value: 1 })),
      ),
      noData.defaults,
    );
    expect(h?.evidence.concentratorId).toBe('c1');
    expect(noData.evaluate(win({}, []), noData.defaults)?.evidence.summary).toBe('never read');
  });
  it('does not fire on a meter read within the hours', () => {
    expect(
      noData.evaluate(
        win(
          {},
          hourly(100, (ago) => (ago < 20 ? null : { value: 1 })),
        ),
        noData.defaults,
      ),
    ).toBeNull();
  });
});

describe('low-battery', () => {
  it('fires on a battery status bit or a low cell voltage', () => {
    expect(
      lowBattery.evaluate(
        win(
          {},
          hourly(3, () => ({ status: { batteryLow: true } })),
        ),
        lowBattery.defaults,
      )?.evidence.flags,
    ).toEqual(['batteryLow']);
    expect(
      lowBattery.evaluate(
        win(
          {},
          hourly(3, () => ({ registers: { batteryVoltage: 3.0 } })),
        ),
        lowBattery.defaults,
      )?.evidence.voltage,
    ).toBe(3);
  });
  it('does not fire on a healthy battery or a battery low only in the past', () => {
    expect(
      lowBattery.evaluate(
        win(
          {},
          hourly(3, () => ({ registers: { batteryVoltage: 3.6 }, status: { batteryLow: false } })),
        ),
        lowBattery.defaults,
      ),
    ).toBeNull();
    expect(
      lowBattery.evaluate(
        win(
          {},
          hourly(3, (a) => ({ status: { batteryLow: a > 0 } })),
        ),
        lowBattery.defaults,
      ),
    ).toBeNull();
  });
});

describe('tamper', () => {
  it('fires on a magnetic, tamper or open-cover bit within the lookback', () => {
    const h = tamper.evaluate(
      win(
        {},
        hourly(100, (a) => ({ status: { coverOpen: a === 5 } })),
      ),
      tamper.defaults,
    );
    expect(h?.evidence.flags).toEqual(['coverOpen']);
  });
  it('does not fire on clear bits or an event older than the lookback', () => {
    expect(
      tamper.evaluate(
        win(
          {},
          hourly(100, () => ({ status: { magneticAttack: false } })),
        ),
        tamper.defaults,
      ),
    ).toBeNull();
    expect(
      tamper.evaluate(
        win(
          {},
          hourly(100, (a) => ({ status: { magneticAttack: a === 80 } })),
        ),
        tamper.defaults,
      ),
    ).toBeNull();
  });
});

describe('valve-fault', () => {
  const closedAt = new Date(NOW.getTime() - 5 * 3_600_000);
  const valve = (s: string) => hourly(10, () => ({ status: { valve: s } }));
  it('fires when the valve reports abnormal or not the acknowledged command', () => {
    expect(valveFault.evaluate(win({}, valve('abnormal')), valveFault.defaults)?.evidence.summary).toBe(
      'valve reports abnormal',
    );
    expect(
      valveFault.evaluate(
        win({ commanded: { state: 'closed', at: closedAt } }, valve('open')),
        valveFault.defaults,
      )?.evidence.reported,
    ).toBe('open');
    // a relay that reports 'closed' (conducting) after a cut command
    const relay = hourly(10, () => ({ status: { relay: 'closed' } }));
    expect(
      valveFault.evaluate(
        win({ medium: 'electricity', commanded: { state: 'closed', at: closedAt } }, relay),
        valveFault.defaults,
      )?.rule,
    ).toBe('valve-fault');
  });
  it('does not fire when the valve follows the command, within the grace, or with no command', () => {
    expect(
      valveFault.evaluate(
        win({ commanded: { state: 'closed', at: closedAt } }, valve('closed')),
        valveFault.defaults,
      ),
    ).toBeNull();
    const justNow = new Date(NOW.getTime() - 10 * 60_000);
    expect(
      valveFault.evaluate(
        win({ commanded: { state: 'closed', at: justNow } }, valve('open')),
        valveFault.defaults,
      ),
    ).toBeNull();
    expect(valveFault.evaluate(win({}, valve('open')), valveFault.defaults)).toBeNull();
  });
});

describe('clock-drift', () => {
  const drift = (s: number) =>
    hourly(3, (ago) => ({ registers: { meterTime: (NOW.getTime() - ago * 3_600_000) / 1000 + s } }));
  it('fires beyond maxSeconds either way', () => {
    expect(clockDrift.evaluate(win({}, drift(600)), clockDrift.defaults)?.evidence.driftSeconds).toBe(600);
    expect(clockDrift.evaluate(win({}, drift(-400)), clockDrift.defaults)?.evidence.driftSeconds).toBe(-400);
  });
  it('does not fire within maxSeconds or without a meter clock', () => {
    expect(clockDrift.evaluate(win({}, drift(60)), clockDrift.defaults)).toBeNull();
    expect(
      clockDrift.evaluate(
        win(
          {},
          hourly(3, () => ({ value: 1 })),
        ),
        clockDrift.defaults,
      ),
    ).toBeNull();
  });
});

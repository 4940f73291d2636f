import meterHeat from '@quadmeter/meter-heat';
import meterPower from '@quadmeter/meter-power';
import { describe, expect, it } from 'vitest';
import { type RuleSetting, resolveParams } from '../catalogue.ts';
import { diagnoseMeter } from '../diagnose.ts';
import { evaluatePluginRule } from '../plugin-rules.ts';
import { subExceedsMaster } from '../rules/balance.ts';
import { zeroConsumption } from '../rules/consumption.ts';
import { noData } from '../rules/device.ts';
import { currentImbalance, heatTemperature, voltage } from '../rules/power-heat.ts';
import { counter, hourly, win } from './build.ts';

const phases = (v: [number, number, number], i: [number, number, number] = [10, 10, 10]) => ({
  voltageA: v[0],
  voltageB: v[1],
  voltageC: v[2],
  currentA: i[0],
  currentB: i[1],
  currentC: i[2],
});
const power = { medium: 'electricity' as const };

describe('voltage', () => {
  it('fires on over- and under-voltage that persists', () => {
    const over = hourly(24, (a) => ({ registers: phases([220, a < 4 ? 240 : 220, 220]) }));
    expect(voltage.evaluate(win(power, over), voltage.defaults)?.evidence.max).toBe(240);
    const under = hourly(24, (a) => ({ registers: phases([a < 4 ? 190 : 220, 220, 220]) }));
    expect(voltage.evaluate(win(power, under), voltage.defaults)?.evidence.min).toBe(190);
  });
  it('does not fire on one excursion, a missing phase, or normal supply', () => {
    expect(
      voltage.evaluate(
        win(
          power,
          hourly(24, (a) => ({ registers: phases([a === 0 ? 240 : 220, 220, 220]) })),
        ),
        voltage.defaults,
      ),
    ).toBeNull();
    expect(
      voltage.evaluate(
        win(
          power,
          hourly(24, () => ({ registers: phases([230, 0, 0]) })),
        ),
        voltage.defaults,
      ),
    ).toBeNull();
    expect(
      voltage.evaluate(
        win(
          power,
          hourly(24, () => ({ registers: phases([235, 200, 220]) })),
        ),
        voltage.defaults,
      ),
    ).toBeNull();
  });
});

describe('current-imbalance', () => {
  it('fires when one phase carries far less under load', () => {
    const h = currentImbalance.evaluate(
      win(
        power,
        hourly(24, () => ({ registers: phases([220, 220, 220], [20, 19, 2]) })),
      ),
      currentImbalance.defaults,
    );
    expect(h?.evidence.maxRatio).toBe(0.9);
  });
  it('does not fire on balanced phases or at light load', () => {
    expect(
      currentImbalance.evaluate(
        win(
          power,
          hourly(24, () => ({ registers: phases([220, 220, 220], [20, 18, 15]) })),
        ),
        currentImbalance.defaults,
      ),
    ).toBeNull();
    expect(
      currentImbalance.evaluate(
        win(
          power,
          hourly(24, () => ({ registers: phases([220, 220, 220], [3, 0.1, 0.1]) })),
        ),
        currentImbalance.defaults,
      ),
    ).toBeNull();
  });
});

describe('heat-temperature', () => {
  const heat = (s: number, r: number) =>
    hourly(24, () => ({ registers: { supplyTemperature: s, returnTemperature: r } }));
  it('fires when supply is not above return', () => {
    expect(
      heatTemperature.evaluate(win({ medium: 'heat' }, heat(40, 55)), heatTemperature.defaults)?.rule,
    ).toBe('heat-temperature');
    expect(
      heatTemperature.evaluate(win({ medium: 'heat' }, heat(50, 50)), heatTemperature.defaults)?.rule,
    ).toBe('heat-temperature');
  });
  it('does not fire on a normal difference or with a negative tolerance', () => {
    expect(
      heatTemperature.evaluate(win({ medium: 'heat' }, heat(60, 45)), heatTemperature.defaults),
    ).toBeNull();
    expect(
      heatTemperature.evaluate(win({ medium: 'heat' }, heat(50, 50)), {
        ...heatTemperature.defaults,
        minDifference: -1,
      }),
    ).toBeNull();
  });
});

describe('sub-exceeds-master', () => {
  const master = hourly(24 * 10, (a) => ({ value: counter(1)(a) })); // 24 a day
  const subs = (perDay: number) =>
    new Map(
      Array.from({ length: 12 }, (_, k) => [
        new Date(Date.UTC(2026, 10, 18 + k)).toISOString().slice(0, 10),
        perDay,
      ]),
    );
  it('fires when the sub-meters measured more than the master', () => {
    expect(
      subExceedsMaster.evaluate(win({}, master, { subUsageByDay: subs(30) }), subExceedsMaster.defaults)
        ?.evidence.sub,
    ).toBe(210);
  });
  it('does not fire within the tolerance, under the master, or without sub-meters', () => {
    expect(
      subExceedsMaster.evaluate(win({}, master, { subUsageByDay: subs(24.3) }), subExceedsMaster.defaults),
    ).toBeNull();
    expect(
      subExceedsMaster.evaluate(win({}, master, { subUsageByDay: subs(20) }), subExceedsMaster.defaults),
    ).toBeNull();
    expect(subExceedsMaster.evaluate(win({}, master), subExceedsMaster.defaults)).toBeNull();
  });
});

describe('meter-type plugin rules', () => {
  const rule = (id: string) => {
    const r = [...meterPower.defaultAnomalyRules, ...meterHeat.defaultAnomalyRules].find((x) => x.id === id);
    if (!r) throw new Error(id);
    return r;
  };
  it('a plugin status rule fires on its bit and not without it', () => {
    expect(
      evaluatePluginRule(
        rule('active-reversed'),
        win(
          power,
          hourly(2, () => ({ status: { activeReversed: true } })),
        ),
      )?.rule,
    ).toBe('plugin:active-reversed');
    expect(
      evaluatePluginRule(
        rule('active-reversed'),
        win(
          power,
          hourly(2, () => ({ status: { activeReversed: false } })),
        ),
      ),
    ).toBeNull();
  });
  it('a plugin threshold rule fires beyond its limit and not inside it', () => {
    const t = (v: number) =>
      win(
        { medium: 'heat' },
        hourly(2, () => ({ registers: { supplyTemperature: v } })),
      );
    expect(evaluatePluginRule(rule('supply-overheat'), t(98))?.severity).toBe('critical');
    expect(evaluatePluginRule(rule('supply-overheat'), t(90))).toBeNull();
  });
  it('a plugin rule a built-in supersedes is not run twice', () => {
    const rs = hourly(30, () => ({ value: 1, status: { clockBatteryLow: true } }));
    const hits = diagnoseMeter(
      win({ ...power, occupied: false }, rs),
      [],
      meterPower.defaultAnomalyRules,
    ).map((h) => h.rule);
    expect(hits).toEqual(['low-battery']);
  });
});

describe('thresholds per tenant, medium and area', () => {
  const s = (over: Partial<RuleSetting>): RuleSetting => ({
    rule: 'no-data',
    medium: null,
    areaId: null,
    enabled: true,
    params: {},
    ...over,
  });
  it('the most specific setting wins, key by key, and can switch a rule off', () => {
    const settings = [
      s({ params: { hours: 48 } }),
      s({ medium: 'water', params: { hours: 12 } }),
      s({ areaId: 'a2', medium: 'water', enabled: false }),
    ];
    expect(resolveParams(noData, settings, 'water', 'a1')).toEqual({ enabled: true, params: { hours: 12 } });
    expect(resolveParams(noData, settings, 'gas', 'a1')).toEqual({ enabled: true, params: { hours: 48 } });
    expect(resolveParams(noData, settings, 'water', 'a2').enabled).toBe(false);
    expect(resolveParams(noData, [], 'water', 'a1')).toEqual({ enabled: true, params: { hours: 26 } });
  });
  it('ignores unknown keys and values of the wrong type', () => {
    const r = resolveParams(
      zeroConsumption,
      [s({ rule: 'zero-consumption', params: { days: 'x', evil: 1, minReadings: 5 } })],
      'water',
      null,
    );
    expect(r.params).toEqual({ days: 7, minReadings: 5 });
  });
  it('a disabled rule does not fire in a diagnosis', () => {
    const w = win(
      {},
      hourly(100, (a) => (a < 30 ? null : { value: 1 })),
    );
    expect(diagnoseMeter(w).map((h) => h.rule)).toContain('no-data');
    expect(diagnoseMeter(w, [s({ enabled: false })]).map((h) => h.rule)).not.toContain('no-data');
  });
});

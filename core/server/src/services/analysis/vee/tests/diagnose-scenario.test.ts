import meterGas from '@quadmeter/meter-gas';
import meterHeat from '@quadmeter/meter-heat';
import meterPower from '@quadmeter/meter-power';
import meterWater from '@quadmeter/meter-water';
import { describe, expect, it } from 'vitest';
import { diagnoseEstate } from '../estate.ts';
import { generateScenario } from '../scenario.ts';

const pluginRules = {
  water: meterWater.defaultAnomalyRules,
  electricity: meterPower.defaultAnomalyRules,
  gas: meterGas.defaultAnomalyRules,
  heat: meterHeat.defaultAnomalyRules,
};

describe('diagnosing a generated estate (200 meters, 60 days, hourly readings)', () => {
  const scenario = generateScenario({ meters: 200, days: 60, seed: 15 });
  const findings = diagnoseEstate(scenario, [], pluginRules);

  it('finds every planted case with its rule', () => {
    const cases = new Set(scenario.planted.map((p) => p.case));
    for (const c of [
      'leak',
      'stuck meter',
      'tampered meter',
      'unrecorded replacement',
      'reversed CT',
      'concentrator drop-out',
    ]) {
      expect(cases.has(c)).toBe(true);
    }
    const missed = scenario.planted.filter(
      (p) => !(findings.get(p.meterId) ?? []).some((h) => h.rule === p.rule),
    );
    expect(missed).toEqual([]);
    // the drop-out is a whole concentrator: ten meters, each with no data
    expect(scenario.planted.filter((p) => p.case === 'concentrator drop-out')).toHaveLength(10);
  });

  it('makes no finding on any normal meter (recorded replacement, solar, vacant and wrapping included)', () => {
    expect(scenario.normal).toHaveLength(204 - scenario.planted.length);
    expect(scenario.normal.length).toBeGreaterThanOrEqual(175);
    const noisy = scenario.normal
      .filter((id) => findings.has(id))
      .map((id) => ({ id, rules: findings.get(id)?.map((h) => `${h.rule}: ${h.evidence.summary}`) }));
    expect(noisy).toEqual([]);
  });

  it('misses the leak when the tenant switches night-flow off (the check can fail)', () => {
    const off = diagnoseEstate(
      scenario,
      [{ rule: 'night-flow', medium: null, areaId: null, enabled: false, params: {} }],
      pluginRules,
    );
    const leak = scenario.planted.find((p) => p.case === 'leak');
    expect(off.get(leak?.meterId as string)?.map((h) => h.rule) ?? []).not.toContain('night-flow');
  });

  it('is the same estate for the same seed and another for another seed', () => {
    const again = generateScenario({ meters: 200, days: 60, seed: 15 });
    const m = scenario.meters[0]?.id as string;
    expect(again.readings.get(m)).toEqual(scenario.readings.get(m));
    const other = generateScenario({ meters: 200, days: 60, seed: 16 });
    expect(other.readings.get(m)).not.toEqual(scenario.readings.get(m));
  });
});

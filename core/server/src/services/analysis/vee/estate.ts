import type { AnomalyRule, Medium } from '@quadmeter/sdk';
import type { RuleSetting } from './catalogue.ts';
import { diagnoseMeter } from './diagnose.ts';
import { dailyUsage } from './series.ts';
import type { MeterFacts, RuleHit, VeeReading } from './types.ts';

/** Meters with their readings, the master → sub-meter links, and the instant to judge at. */
export interface Estate {
  now: Date;
  meters: readonly MeterFacts[];
  readings: ReadonlyMap<string, readonly VeeReading[]>;
  /** master meter id → its sub-meters' ids */
  subsOf: ReadonlyMap<string, readonly string[]>;
}

/** Diagnoses every meter of an estate; answers meter id → the rules that fired (meters with none omitted). */
export function diagnoseEstate(
  estate: Estate,
  settings: readonly RuleSetting[] = [],
  pluginRules: Partial<Record<Medium, readonly AnomalyRule[]>> = {},
): Map<string, RuleHit[]> {
  const out = new Map<string, RuleHit[]>();
  for (const meter of estate.meters) {
    const readings = [...(estate.readings.get(meter.id) ?? [])];
    const subs = estate.subsOf.get(meter.id);
    const subUsageByDay = subs ? sumDaily(subs.map((id) => estate.readings.get(id) ?? [])) : undefined;
    const hits = diagnoseMeter(
      { meter, readings, now: estate.now, subUsageByDay },
      settings,
      pluginRules[meter.medium] ?? [],
    );
    if (hits.length) out.set(meter.id, hits);
  }
  return out;
}

/** Daily usage summed over several meters. */
export function sumDaily(series: readonly (readonly VeeReading[])[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const rs of series) {
    for (const [day, u] of dailyUsage(rs)) out.set(day, (out.get(day) ?? 0) + u);
  }
  return out;
}

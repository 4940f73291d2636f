import type { AnomalyRule } from '@quadmeter/sdk';
import { hit } from './rules/consumption.ts';
import { num } from './series.ts';
import type { MeterWindow, RuleHit, Severity } from './types.ts';

/**
 * Plugin rules whose concept a built-in rule already covers with the meter's own profile and the
 * tenant's thresholds (the built-in wins, so one problem makes one finding): usage stuck / spike /
 * night flow, reverse registers, battery and valve bits, the power meter's voltage limits.
 */
const SUPERSEDED_TYPES = new Set(['stuck', 'spike', 'night-flow']);
const SUPERSEDED_IDS = new Set([
  'reverse-flow',
  'reverse-energy',
  'battery-low',
  'clock-battery-low',
  'valve-abnormal',
  'voltage-a',
  'voltage-b',
  'voltage-c',
]);

export const pluginRuleId = (r: AnomalyRule): string => `plugin:${r.id}`;

const severityOf = (s: AnomalyRule['severity']): Severity => (s === 'alarm' ? 'critical' : s);

/** The plugin's data rules that the analysis runs (those no built-in supersedes). */
export function activePluginRules(rules: readonly AnomalyRule[]): AnomalyRule[] {
  return rules.filter((r) => !SUPERSEDED_TYPES.has(r.type) && !SUPERSEDED_IDS.has(r.id));
}

/** Evaluates one data rule of a meter-type plugin over the latest readings of a window. */
export function evaluatePluginRule(rule: AnomalyRule, w: MeterWindow): RuleHit | null {
  const id = pluginRuleId(rule);
  const sev = severityOf(rule.severity);
  const last = w.readings.at(-1);
  if (!last) return null;
  switch (rule.type) {
    case 'status':
      return last.status[rule.field] === rule.equals
        ? hit(id, sev, `${rule.field} = ${String(rule.equals)}`, [last], { title: rule.title })
        : null;
    case 'threshold': {
      const v = num(last, rule.register);
      if (v === undefined) return null;
      const over = rule.above !== undefined && v > rule.above;
      const under = rule.below !== undefined && v < rule.below;
      return over || under ? hit(id, sev, `${rule.register} = ${v}`, [last], { title: rule.title }) : null;
    }
    case 'increase': {
      const rs = w.readings.filter((r) => num(r, rule.register) !== undefined);
      const a = rs.at(-2);
      const b = rs.at(-1);
      if (!a || !b) return null;
      const d = (num(b, rule.register) as number) - (num(a, rule.register) as number);
      return d >= rule.minDelta
        ? hit(id, sev, `${rule.register} grew by ${d}`, [a, b], { title: rule.title })
        : null;
    }
    default:
      return null;
  }
}

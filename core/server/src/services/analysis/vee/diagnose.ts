import type { AnomalyRule } from '@quadmeter/sdk';
import { type RuleSetting, resolveParams, veeRules } from './catalogue.ts';
import { activePluginRules, evaluatePluginRule } from './plugin-rules.ts';
import type { MeterWindow, RuleHit } from './types.ts';

/**
 * Runs every rule that applies to the window's meter — the built-in catalogue with the tenant's
 * parameters, then the meter-type plugin's own data rules — and answers what fired.
 */
export function diagnoseMeter(
  w: MeterWindow,
  settings: readonly RuleSetting[] = [],
  pluginRules: readonly AnomalyRule[] = [],
): RuleHit[] {
  const out: RuleHit[] = [];
  for (const rule of veeRules) {
    if (rule.media && !rule.media.includes(w.meter.medium)) continue;
    const { enabled, params } = resolveParams(rule, settings, w.meter.medium, w.meter.areaId);
    if (!enabled) continue;
    const h = rule.evaluate(w, params);
    if (h) out.push(h);
  }
  for (const rule of activePluginRules(pluginRules)) {
    if (settings.some((s) => s.rule === `plugin:${rule.id}` && !s.enabled)) continue;
    const h = evaluatePluginRule(rule, w);
    if (h) out.push(h);
  }
  return out;
}

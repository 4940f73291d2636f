import type { Medium } from '@quadmeter/sdk';
import { builtinRules } from './rules/index.ts';
import type { AnyVeeRule, Params } from './types.ts';

/** Every built-in rule, by id. */
export const veeRules: readonly AnyVeeRule[] = builtinRules;

export const veeRuleIds: ReadonlySet<string> = new Set(veeRules.map((r) => r.id));

/** A tenant's override of a rule's parameters, for all meters, one medium, or one area. */
export interface RuleSetting {
  rule: string;
  medium: Medium | null;
  areaId: string | null;
  enabled: boolean;
  params: Params;
}

/**
 * The parameters of `rule` for a meter: the code's defaults, then the tenant-wide setting, then
 * the medium's, then the area's, then the area-and-medium one (the most specific wins, key by key).
 * `enabled: false` at the most specific level that says so turns the rule off.
 */
export function resolveParams(
  rule: AnyVeeRule,
  settings: readonly RuleSetting[],
  medium: Medium,
  areaId: string | null,
): { enabled: boolean; params: Params } {
  const rank = (s: RuleSetting) => (s.medium ? 1 : 0) + (s.areaId ? 2 : 0);
  const applicable = settings
    .filter(
      (s) =>
        s.rule === rule.id &&
        (s.medium === null || s.medium === medium) &&
        (s.areaId === null || s.areaId === areaId),
    )
    .sort((a, b) => rank(a) - rank(b));
  let params: Params = { ...rule.defaults };
  let enabled = true;
  for (const s of applicable) {
    params = { ...params, ...pickKnown(rule.defaults, s.params) };
    enabled = s.enabled;
  }
  return { enabled, params };
}

/** Only keys the rule knows, with the type of its default (a setting cannot inject other shapes). */
function pickKnown(defaults: Params, given: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(given)) {
    const d = defaults[k];
    if (d === undefined) continue;
    if (Array.isArray(d) ? Array.isArray(v) : typeof d === typeof v) out[k] = v;
  }
  return out;
}

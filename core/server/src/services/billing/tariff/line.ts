import type { D } from './decimal.ts';
import type { Band } from './schema-parts.ts';

export type Label = { 'zh-CN': string; en: string };

export type LineKind =
  | 'usage' // consumption (a tier, a band or flat) × price
  | 'tier-surcharge' // TOU with tiers: volume in tier k × (tier k price − tier 1 price)
  | 'allowance' // free units credited (negative)
  | 'fixed' // fixed charge per period/month/day/season, per meter or per m²
  | 'heat-base' // two-part heat: area × base price × share of the season
  | 'heat-energy' // two-part heat: energy × energy price
  | 'true-up' // two-part heat capped at the area-based amount (negative)
  | 'minimum'; // the difference up to the minimum charge

/** A bill line before rounding: quantity × price = amount, exactly. */
export interface ExactLine {
  component: string;
  label: Label;
  kind: LineKind;
  tier?: number;
  band?: Band;
  quantity: D;
  unit?: string;
  price: D;
  amount: D;
  version: string;
  from: number;
  to: number;
}

export const withSuffix = (l: Label, zh: string, en: string): Label => ({
  'zh-CN': `${l['zh-CN']}${zh}`,
  en: `${l.en}${en}`,
});

// The parts of a format-1 tariff body the designer's form edits. Anything else the body holds
// (TOU bands, seasons, household rules, heat two-part) is kept untouched and edited in the JSON.

export interface Label {
  'zh-CN': string;
  en: string;
}

export interface Tiers {
  cycle: 'month' | 'year';
  thresholds?: string[];
  prices: string[];
  [k: string]: unknown;
}

export interface Charge {
  type: string;
  id: string;
  label: Label;
  unit?: string;
  price?: string;
  tiers?: Tiers;
  amount?: string;
  per?: string;
  [k: string]: unknown;
}

export interface Version {
  version: string;
  effectiveFrom: string;
  components: Charge[];
  minimumCharge?: { amount: string; per: 'period' | 'month' };
  [k: string]: unknown;
}

export interface Body {
  code: string;
  meterKind: string;
  rounding?: { mode: string; scale: number; at: string };
  versions: Version[];
  [k: string]: unknown;
}

/** A usage charge switched between one flat price and tiers, keeping the first price. */
export function setTiered(c: Charge, tiered: boolean): void {
  if (tiered && !c.tiers) {
    const p = c.price ?? '1';
    delete c.price;
    c.tiers = { cycle: 'month', thresholds: ['100'], prices: [p, p] };
  } else if (!tiered && c.tiers) {
    c.price = c.tiers.prices[0];
    delete c.tiers;
  }
}

/** Adds a tier above the last: its threshold twice the last one (or 100). */
export function addTier(t: Tiers): void {
  const ths = t.thresholds ?? [];
  const last = Number(ths.at(-1) ?? '50');
  t.thresholds = [...ths, String(Number.isFinite(last) ? last * 2 : 100)];
  t.prices = [...t.prices, t.prices.at(-1) ?? '1'];
}

/** Removes tier i (at least two tiers stay): its price and the threshold that closes it. */
export function removeTier(t: Tiers, i: number): void {
  if (t.prices.length <= 2) return;
  const ths = [...(t.thresholds ?? [])];
  ths.splice(Math.min(i, ths.length - 1), 1);
  t.thresholds = ths;
  t.prices = t.prices.filter((_, k) => k !== i);
}

export function newUsage(n: number): Charge {
  return { type: 'usage', id: `usage-${n}`, label: { 'zh-CN': '用量费', en: 'Usage' }, price: '1.00' };
}

export function newFixed(n: number): Charge {
  return {
    type: 'fixed',
    id: `fixed-${n}`,
    label: { 'zh-CN': '固定费', en: 'Fixed charge' },
    amount: '5.00',
    per: 'month',
  };
}

import { AppError } from '@quadmeter/sdk';
import { monthPieces } from './dates.ts';
import { D, max, min, ZERO } from './decimal.ts';
import { type ExactLine, withSuffix } from './line.ts';
import { type Band, bandIds, bandLabels } from './schema-parts.ts';
import type { UsageCharge } from './schema-usage-charge.ts';
import type { Segment } from './segments.ts';
import { thresholdsFor, tierVolumes } from './tiers.ts';
import { bandPrices, seasonOnDay } from './tou.ts';
import type { Usage } from './usage-schema.ts';

export interface ChargeContext {
  segment: Segment;
  usage: Usage;
  /** consumption counted in the component's yearly cycle before the segment (0 for monthly tiers) */
  ytd: D;
}

/**
 * Lines of an energy/volume charge for one segment. Tiered: one line per tier used. TOU: one line
 * per band at its price. TOU with tiers: the bands at their tier-1 prices plus, per higher tier,
 * its volume × (its price − the tier-1 price) — the same total however peak and valley usage
 * spread over the tiers.
 */
export function usageLines(c: UsageCharge, ctx: ChargeContext): ExactLine[] {
  const { segment: s } = ctx;
  const q = s.consumption;
  const at = { component: c.id, unit: c.unit, version: s.version.version, from: s.from, to: s.to };
  const out: ExactLine[] = [];
  const line = (l: Omit<ExactLine, keyof typeof at | 'amount'>) =>
    out.push({ ...at, ...l, amount: l.quantity.times(l.price) });

  const volumes = c.tiers
    ? tierVolumes(thresholdsFor(c.tiers, s.from, s.to, ctx.usage, c.id), ctx.ytd, q)
    : undefined;
  const tier1 = c.tiers?.prices[0] ?? c.price;

  if (c.tou) {
    if (!s.bands)
      throw new AppError('TARIFF_USAGE_INVALID', `component ${c.id} is priced by time of use: give bands`, [
        { path: 'bands', message: 'required by the tariff' },
      ]);
    const prices = bandPrices(c.tou, seasonOnDay(c.tou, s.from), tier1);
    for (const b of bandIds) {
      const used = s.bands[b];
      const p = prices[b];
      if (used === undefined || (used.isZero() && p === undefined)) continue;
      if (p === undefined)
        throw new AppError('TARIFF_USAGE_INVALID', `component ${c.id} has no ${b} band in this season`, [
          { path: `bands.${b}`, message: 'not a band of the tariff in this season' },
        ]);
      line({ label: bandLabel(c.label, b), kind: 'usage', band: b, quantity: used, price: p });
    }
    volumes?.forEach((v, k) => {
      if (k === 0 || v.isZero()) return;
      const delta = new D(c.tiers!.prices[k]).minus(c.tiers!.prices[0]);
      line({
        label: withSuffix(c.label, ` 第${k + 1}档加价`, ` tier ${k + 1} surcharge`),
        kind: 'tier-surcharge',
        tier: k + 1,
        quantity: v,
        price: delta,
      });
    });
  } else if (volumes) {
    volumes.forEach((v, k) => {
      if (v.isZero() && !(k === 0 && q.isZero())) return;
      line({
        label: withSuffix(c.label, ` 第${k + 1}档`, ` tier ${k + 1}`),
        kind: 'usage',
        tier: k + 1,
        quantity: v,
        price: new D(c.tiers!.prices[k]),
      });
    });
  } else {
    line({ label: c.label, kind: 'usage', quantity: q, price: new D(c.price!) });
  }

  const a = c.freeAllowance;
  if (a && (a.lowIncomeOnly === false || ctx.usage.lowIncome === true)) {
    const free = min(q, allowanceFor(a, ctx));
    if (free.greaterThan(0))
      line({
        label: a.label ?? withSuffix(c.label, ' 免费额度', ' free allowance'),
        kind: 'allowance',
        quantity: free,
        price: new D((a.price ?? tier1)!).negated(),
      });
  }
  return out;
}

function allowanceFor(a: NonNullable<UsageCharge['freeAllowance']>, ctx: ChargeContext): D {
  const s = ctx.segment;
  const n = new D(a.quantity);
  if (a.per === 'period') return n.times(s.share);
  if (a.per === 'month')
    return monthPieces(s.from, s.to).reduce((acc, p) => acc.plus(n.times(p.days).dividedBy(p.ofMonth)), ZERO);
  return max(ZERO, n.minus(ctx.ytd)); // per year: what is left of the year's allowance
}

const bandLabel = (l: ExactLine['label'], b: Band) =>
  withSuffix(l, ` ${bandLabels[b]['zh-CN']}`, ` ${bandLabels[b].en}`);

import { z } from 'zod';
import {
  band,
  bandIds,
  id,
  label,
  monthDayText,
  months,
  partitionIssues,
  plain,
  price,
  quantity,
  ratio,
  time,
} from './schema-parts.ts';

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

/** Whether time ranges (a range ending at or before its start wraps midnight) tile the day once. */
function dayCoverage(ranges: readonly { from: string; to: string }[]): string | null {
  const pieces: [number, number][] = [];
  for (const r of ranges) {
    const a = minutes(r.from) % 1440;
    const b = minutes(r.to);
    if (a === b) return `empty range ${r.from}–${r.to}`;
    if (b > a) pieces.push([a, b]);
    else {
      pieces.push([a, 1440]);
      if (b > 0) pieces.push([0, b]);
    }
  }
  pieces.sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [a, b] of pieces) {
    if (a < at) return 'time ranges overlap';
    if (a > at) return 'time ranges leave hours uncovered';
    at = b;
  }
  return at === 1440 ? null : 'time ranges leave hours uncovered';
}

/** Household-size rules shifting the tier thresholds (see docs/tariffs.md). */
const household = z.discriminatedUnion('rule', [
  // every extra person above basePersons adds perPerson to the listed thresholds (于都: 5, +60 m³)
  z.strictObject({
    rule: z.literal('per-extra-person'),
    basePersons: z.number().int().min(1).max(50),
    perPerson: quantity,
    thresholds: z.array(z.number().int().min(1).max(10)).min(1).max(10).optional(),
  }),
  // households of at least `persons` get a fixed shift (Beijing ≥6 persons: +100 kWh·month)
  z.strictObject({
    rule: z.literal('at-least'),
    persons: z.number().int().min(1).max(50),
    shift: quantity,
    thresholds: z.array(z.number().int().min(1).max(10)).min(1).max(10).optional(),
  }),
  // thresholds are per person: multiplied by the household size
  z.strictObject({ rule: z.literal('per-person') }),
]);

const thresholds = z.array(quantity).min(1).max(10);

export const tiersSchema = z
  .strictObject({
    cycle: z.enum(['month', 'year']),
    /** first day of the yearly cycle, MM-DD (default 01-01) */
    cycleStart: monthDayText.optional(),
    thresholds: thresholds.optional(),
    /** month cycle only: thresholds by season, the seasons' months covering the year once */
    seasons: z
      .array(z.strictObject({ name: plain(40).optional(), months, thresholds }))
      .min(1)
      .max(12)
      .optional(),
    /** one price per tier: thresholds + 1 */
    prices: z.array(price).min(2).max(11),
    household: household.optional(),
  })
  .superRefine((t, ctx) => {
    const issue = (message: string, path: (string | number)[] = []) =>
      ctx.addIssue({ code: 'custom', message, path });
    if (!!t.thresholds === !!t.seasons) issue('give either thresholds or seasons');
    if (t.seasons && t.cycle !== 'month') issue('seasonal thresholds need cycle "month"', ['seasons']);
    if (t.cycleStart && t.cycle !== 'year') issue('cycleStart applies to cycle "year"', ['cycleStart']);
    const sets = t.seasons?.map((s) => s.thresholds) ?? (t.thresholds ? [t.thresholds] : []);
    sets.forEach((set, i) => {
      const path = t.seasons ? ['seasons', i, 'thresholds'] : ['thresholds'];
      if (set.length + 1 !== t.prices.length)
        issue(`${set.length} thresholds need ${set.length + 1} prices`, ['prices']);
      for (let k = 1; k < set.length; k++)
        if (!(Number(set[k]) > Number(set[k - 1]))) issue('thresholds must increase', path);
      if (Number(set[0]) <= 0) issue('the first threshold must be above 0', path);
    });
    if (t.seasons) {
      const p = partitionIssues(t.seasons.map((s) => s.months));
      if (p) issue(p, ['seasons']);
    }
    const shifted = t.household && 'thresholds' in t.household ? t.household.thresholds : undefined;
    for (const k of shifted ?? [])
      if (k > (sets[0]?.length ?? 0)) issue(`no threshold ${k}`, ['household', 'thresholds']);
  });

const bandPrices = z.partialRecord(band, price);
const bandRatios = z.partialRecord(band, ratio);

export const touSchema = z
  .strictObject({
    /** the price ratios multiply this; default: the first tier price */
    basePrice: price.optional(),
    /** decimal places a band price derived from a ratio is rounded to (half-up); default: exact */
    priceScale: z.number().int().min(0).max(6).optional(),
    seasons: z
      .array(
        z.strictObject({
          name: plain(40).optional(),
          months: months.optional(),
          ranges: z
            .array(z.strictObject({ band, from: time, to: time }))
            .min(1)
            .max(48),
          prices: bandPrices.optional(),
          ratios: bandRatios.optional(),
        }),
      )
      .min(1)
      .max(12),
  })
  .superRefine((t, ctx) => {
    const issue = (message: string, path: (string | number)[]) =>
      ctx.addIssue({ code: 'custom', message, path });
    const p = partitionIssues(t.seasons.map((s) => s.months ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    if (p) issue(p, ['seasons']);
    t.seasons.forEach((s, i) => {
      const cover = dayCoverage(s.ranges);
      if (cover) issue(cover, ['seasons', i, 'ranges']);
      if (!!s.prices === !!s.ratios) issue('give either prices or ratios', ['seasons', i]);
      const used = new Set(s.ranges.map((r) => r.band));
      const priced = new Set(Object.keys(s.prices ?? s.ratios ?? {}));
      for (const b of bandIds) {
        if (used.has(b) && !priced.has(b)) issue(`band ${b} has no price`, ['seasons', i]);
        if (!used.has(b) && priced.has(b)) issue(`band ${b} is priced but never in force`, ['seasons', i]);
      }
    });
  });

/** The energy or volume charge: flat, tiered, time-of-use, or time-of-use with tiers. */
export const usageChargeSchema = z
  .strictObject({
    type: z.literal('usage'),
    id,
    label,
    unit: plain(16).optional(),
    price: price.optional(),
    tiers: tiersSchema.optional(),
    tou: touSchema.optional(),
    freeAllowance: z
      .strictObject({
        quantity,
        per: z.enum(['month', 'year', 'period']),
        /** default true: only for usage flagged lowIncome */
        lowIncomeOnly: z.boolean().optional(),
        /** the price the free units are credited at; default the first tier (or flat) price */
        price: price.optional(),
        label: label.optional(),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (c.price !== undefined && (c.tiers || c.tou))
      ctx.addIssue({ code: 'custom', message: 'a flat price excludes tiers and tou', path: ['price'] });
    if (c.price === undefined && !c.tiers && !c.tou)
      ctx.addIssue({ code: 'custom', message: 'give price, tiers or tou', path: [] });
    const ratios = c.tou?.seasons.some((s) => s.ratios);
    if (ratios && !c.tou?.basePrice && !c.tiers)
      ctx.addIssue({ code: 'custom', message: 'ratios need tou.basePrice or tiers', path: ['tou'] });
    if (c.freeAllowance && !c.freeAllowance.price && c.tou && !c.tiers)
      ctx.addIssue({ code: 'custom', message: 'give the allowance a price', path: ['freeAllowance'] });
  });

export type UsageCharge = z.output<typeof usageChargeSchema>;
export type Tiers = z.output<typeof tiersSchema>;
export type Tou = z.output<typeof touSchema>;

import { z } from 'zod';
import { dayOf } from './dates.ts';
import { band, date, dec } from './schema-parts.ts';

const qty = dec({ places: 6, max: 1_000_000_000 });
const bands = z.partialRecord(band, qty);

/** What one meter used in one period, plus the facts tiers and fixed charges depend on. */
export const usageSchema = z
  .strictObject({
    $schema: z.string().max(200).optional(),
    period: z.strictObject({ from: date, to: date }),
    /** total consumption in the tariff's unit; default the sum of the bands */
    consumption: qty.optional(),
    /** time-of-use consumption per band */
    bands: bands.optional(),
    /** per-day usage; if given it covers each day of the period once and splits the period exactly */
    daily: z
      .array(z.strictObject({ date, consumption: qty.optional(), bands: bands.optional() }))
      .max(800)
      .optional(),
    householdSize: z.number().int().min(1).max(100).optional(),
    heatedArea: dec({ places: 4, max: 10_000_000 }).optional(),
    lowIncome: z.boolean().optional(),
    /** consumption already counted in the current yearly tier cycle before period.from */
    yearToDate: qty.optional(),
  })
  .superRefine((u, ctx) => {
    const issue = (message: string, path: (string | number)[]) =>
      ctx.addIssue({ code: 'custom', message, path });
    const from = dayOf(u.period.from);
    const to = dayOf(u.period.to);
    if (!(to > from)) return issue('period.to must follow period.from', ['period', 'to']);
    if (to - from > 800) return issue('a period spans at most 800 days', ['period', 'to']);
    if (u.consumption === undefined && !u.bands && !u.daily)
      issue('give consumption, bands or daily', ['consumption']);
    if (u.daily) {
      const days = u.daily.map((d) => dayOf(d.date));
      const all = new Set(days);
      if (all.size !== days.length) issue('a day is listed twice', ['daily']);
      else if (days.length !== to - from || days.some((d) => d < from || d >= to))
        issue('daily must list each day of the period once', ['daily']);
      u.daily.forEach((d, i) => {
        if (d.consumption === undefined && !d.bands) issue('give consumption or bands', ['daily', i]);
      });
    }
  });

export type UsageInput = z.input<typeof usageSchema>;
export type Usage = z.output<typeof usageSchema>;

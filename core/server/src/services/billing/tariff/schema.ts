import { z } from 'zod';
import { dayOf } from './dates.ts';
import { amount, date, hasControl, id, label, monthDayText, plain, price } from './schema-parts.ts';
import { usageChargeSchema } from './schema-usage-charge.ts';

const season = z.strictObject({ from: monthDayText, to: monthDayText });

/** A fixed charge per period, month, day or (heating) season; per meter or per m² of heated area. */
const fixedSchema = z
  .strictObject({
    type: z.literal('fixed'),
    id,
    label,
    amount,
    per: z.enum(['period', 'month', 'day', 'season']),
    basis: z.enum(['meter', 'area']).optional(),
    season: season.optional(),
  })
  .refine((f) => (f.per === 'season') === !!f.season, {
    message: 'per "season" needs season {from, to}, and only it',
    path: ['season'],
  });

/** Two-part heat: base per m²·season plus energy per unit; optionally capped by the area price. */
const heatSchema = z.strictObject({
  type: z.literal('heat-two-part'),
  id,
  label,
  unit: plain(16).optional(),
  season,
  basePrice: price,
  energyPrice: price,
  /** the area-based price per m²·season the metered charge is compared with */
  areaPrice: price,
  /** lower-of: charge min(two-part, area-based) (就低不就高); none: the two-part charge */
  trueUp: z.enum(['lower-of', 'none']),
});

export const componentSchema = z.discriminatedUnion('type', [usageChargeSchema, fixedSchema, heatSchema]);

export const roundingSchema = z.strictObject({
  mode: z.enum(['half-up', 'half-even', 'down', 'up']).default('half-up'),
  /** decimal places of yuan an amount is rounded to: 2 = fen, 1 = jiao, 0 = yuan */
  scale: z.number().int().min(0).max(2).default(2),
  /** line: each line rounded once; total: lines carry the running total's rounding */
  at: z.enum(['line', 'total']).default('line'),
});

const versionSchema = z
  .strictObject({
    version: plain(64),
    effectiveFrom: date,
    /** first day no longer in force; default the next version's effectiveFrom */
    effectiveTo: date.optional(),
    components: z.array(componentSchema).min(1).max(20),
    minimumCharge: z
      .strictObject({ amount, per: z.enum(['period', 'month']), label: label.optional() })
      .optional(),
  })
  .superRefine((v, ctx) => {
    const ids = v.components.map((c) => c.id);
    const twice = ids.filter((x, i) => ids.indexOf(x) !== i);
    if (twice.length)
      ctx.addIssue({
        code: 'custom',
        message: `component ids repeat: ${twice.join(', ')}`,
        path: ['components'],
      });
    if (v.effectiveTo && dayOf(v.effectiveTo) <= dayOf(v.effectiveFrom))
      ctx.addIssue({
        code: 'custom',
        message: 'effectiveTo must follow effectiveFrom',
        path: ['effectiveTo'],
      });
  });

export const tariffSchema = z
  .strictObject({
    $schema: plain(200).optional(),
    formatVersion: z.literal(1),
    code: id,
    name: label,
    meterKind: z.enum(['power', 'water', 'gas', 'heat']),
    description: z
      .string()
      .max(2000)
      .refine((s) => !hasControl(s, true), { message: 'control characters are not allowed' })
      .optional(),
    rounding: roundingSchema.default({ mode: 'half-up', scale: 2, at: 'line' }),
    /** decimal places usage is split to when a period is divided pro rata by days */
    prorateScale: z.number().int().min(0).max(6).default(2),
    versions: z.array(versionSchema).min(1).max(100),
  })
  .superRefine((t, ctx) => {
    const names = t.versions.map((v) => v.version);
    if (new Set(names).size !== names.length)
      ctx.addIssue({ code: 'custom', message: 'version names repeat', path: ['versions'] });
    for (let i = 1; i < t.versions.length; i++) {
      const prev = t.versions[i - 1];
      const cur = t.versions[i];
      if (dayOf(cur.effectiveFrom) <= dayOf(prev.effectiveFrom))
        ctx.addIssue({
          code: 'custom',
          message: 'versions must be in effectiveFrom order',
          path: ['versions', i],
        });
      else if (prev.effectiveTo && dayOf(prev.effectiveTo) > dayOf(cur.effectiveFrom))
        ctx.addIssue({
          code: 'custom',
          message: 'versions overlap',
          path: ['versions', i - 1, 'effectiveTo'],
        });
    }
  });

export type Tariff = z.output<typeof tariffSchema>;
export type TariffVersion = Tariff['versions'][number];
export type Component = z.output<typeof componentSchema>;
export type Rounding = z.output<typeof roundingSchema>;

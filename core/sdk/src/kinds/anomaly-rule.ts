import { z } from 'zod';
import { localizedTextSchema } from '../plugin/localized.ts';

/**
 * Anomaly rules are data: the analysis service evaluates them over stored readings and daily
 * usage, tenants may tune their parameters. A plugin ships the defaults for its medium.
 */
const base = {
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab case'),
  title: localizedTextSchema,
  severity: z.enum(['info', 'warning', 'alarm']),
};
const register = z.string().min(1);
const positive = z.number().positive();

export const anomalyRuleSchema = z.discriminatedUnion('type', [
  /** a decoded status field has a given value (boolean flags: true) */
  z.object({
    ...base,
    type: z.literal('status'),
    field: z.string().min(1),
    equals: z.union([z.boolean(), z.string()]),
  }),
  /** a cumulative register grew by at least `minDelta` between two readings (e.g. reverse volume) */
  z.object({ ...base, type: z.literal('increase'), register, minDelta: positive }),
  /** a cumulative register did not move for `days` days */
  z.object({ ...base, type: z.literal('stuck'), register, days: z.number().int().positive() }),
  /** one day's usage exceeds `factor` × the mean of the previous `baselineDays`, and at least `minUsage` */
  z.object({
    ...base,
    type: z.literal('spike'),
    register,
    factor: positive,
    baselineDays: z.number().int().positive(),
    minUsage: z.number().nonnegative(),
  }),
  /** the lowest rate between `fromHour` and `toHour` stayed above `minRate` for `nights` nights */
  z.object({
    ...base,
    type: z.literal('night-flow'),
    register,
    fromHour: z.number().int().min(0).max(23),
    toHour: z.number().int().min(0).max(23),
    minRate: positive,
    nights: z.number().int().positive(),
  }),
  /** an instant register is above `above` or below `below` */
  z
    .object({
      ...base,
      type: z.literal('threshold'),
      register,
      above: z.number().optional(),
      below: z.number().optional(),
    })
    .refine((r) => r.above !== undefined || r.below !== undefined, 'needs `above` or `below`'),
]);

export type AnomalyRule = z.infer<typeof anomalyRuleSchema>;
export type AnomalyRuleType = AnomalyRule['type'];

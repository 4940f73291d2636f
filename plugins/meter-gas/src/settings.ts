import { cumulativeRollovers } from '@quadmeter/sdk';
import { z } from 'zod';
import { registers } from './registers.ts';

export const settingsSchema = z.object({
  /** integer digits of the counters; they wrap after 10^digits m³ */
  meterDigits: z.number().int().min(4).max(9).default(5),
  /** more than this standard volume per day is flagged as implausible */
  maxDailyUsage: z.number().positive().default(5),
  /** which counter the tariff bills: the corrected standard volume or the raw working volume */
  billedVolume: z.enum(['standardVolume', 'workingVolume']).default('standardVolume'),
  /** accepted range of standard ÷ working growth (the volume correction factor) */
  correctionFactorMin: z.number().positive().default(0.5),
  correctionFactorMax: z.number().positive().default(3),
});

export type GasSettings = z.infer<typeof settingsSchema>;

export function settingsOrDefault(s: GasSettings | undefined): GasSettings {
  return s ?? settingsSchema.parse({});
}

export function rolloverFor(s: GasSettings): Record<string, number> {
  return cumulativeRollovers(registers, s.meterDigits);
}

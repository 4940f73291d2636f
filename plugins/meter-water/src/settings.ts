import { cumulativeRollovers } from '@quadmeter/sdk';
import { z } from 'zod';
import { registers } from './registers.ts';

export const settingsSchema = z.object({
  /** integer digits of the counter; it wraps to zero after 10^digits m³ */
  meterDigits: z.number().int().min(4).max(9).default(5),
  /** more than this per day is flagged as implausible */
  maxDailyUsage: z.number().positive().default(10),
  displayUnit: z.enum(['m3', 'L']).default('m3'),
});

export type WaterSettings = z.infer<typeof settingsSchema>;

export function settingsOrDefault(s: WaterSettings | undefined): WaterSettings {
  return s ?? settingsSchema.parse({});
}

/** Rollover of each counter for the tenant's meter size (the register decimals stay). */
export function rolloverFor(s: WaterSettings): Record<string, number> {
  return cumulativeRollovers(registers, s.meterDigits);
}

import { cumulativeRollovers } from '@quadmeter/sdk';
import { z } from 'zod';
import { registers } from './registers.ts';

export const settingsSchema = z.object({
  /** integer digits of the heat and volume counters; they wrap after 10^digits */
  meterDigits: z.number().int().min(5).max(9).default(6),
  /** more heat than this per day (kWh) is flagged as implausible */
  maxDailyEnergy: z.number().positive().default(500),
  displayEnergyUnit: z.enum(['kWh', 'GJ', 'MWh']).default('kWh'),
  /** allowed gap (K) between the reported difference and supply − return */
  temperatureTolerance: z.number().nonnegative().default(0.5),
  /** allowed relative gap between reported power and flow × ΔT × 1.163 */
  powerTolerance: z.number().positive().max(1).default(0.3),
});

export type HeatSettings = z.infer<typeof settingsSchema>;

export function settingsOrDefault(s: HeatSettings | undefined): HeatSettings {
  return s ?? settingsSchema.parse({});
}

export function rolloverFor(s: HeatSettings): Record<string, number> {
  return cumulativeRollovers(
    registers.filter((r) => r.key !== 'operatingHours'),
    s.meterDigits,
  );
}

import { cumulativeRollovers } from '@quadmeter/sdk';
import { z } from 'zod';
import { registers } from './registers.ts';

export const settingsSchema = z.object({
  /** integer digits of the energy registers; they wrap after 10^digits kWh */
  meterDigits: z.number().int().min(4).max(8).default(6),
  /** more import than this per day is flagged as implausible */
  maxDailyEnergy: z.number().positive().default(200),
  /** a tariff sum this far from the total (kWh) is flagged */
  tariffSumTolerance: z.number().nonnegative().default(0.05),
  displayEnergyUnit: z.enum(['kWh', 'MWh']).default('kWh'),
});

export type PowerSettings = z.infer<typeof settingsSchema>;

export function settingsOrDefault(s: PowerSettings | undefined): PowerSettings {
  return s ?? settingsSchema.parse({});
}

export function rolloverFor(s: PowerSettings): Record<string, number> {
  return cumulativeRollovers(registers, s.meterDigits);
}

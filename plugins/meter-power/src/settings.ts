import { cumulativeRollovers, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';
import { registers } from './registers.ts';

export const settingsSchema = z.object({
  /** integer digits of the energy registers; they wrap after 10^digits kWh */
  meterDigits: z
    .number()
    .int()
    .min(4)
    .max(8)
    .default(6)
    .meta(
      settingMeta(
        { 'zh-CN': '电能寄存器整数位数', en: 'Register digits' },
        {
          'zh-CN': '电能寄存器在 10 的位数次方 kWh 后归零',
          en: 'The energy registers wrap after 10^digits kWh',
        },
      ),
    ),
  /** more import than this per day is flagged as implausible */
  maxDailyEnergy: z
    .number()
    .positive()
    .default(200)
    .meta(
      settingMeta(
        { 'zh-CN': '日用电上限（kWh）', en: 'Daily energy limit (kWh)' },
        {
          'zh-CN': '单日正向有功超过此值时标记为异常',
          en: 'More import than this per day is flagged as implausible',
        },
      ),
    ),
  /** a tariff sum this far from the total (kWh) is flagged */
  tariffSumTolerance: z
    .number()
    .nonnegative()
    .default(0.05)
    .meta(
      settingMeta(
        { 'zh-CN': '费率和容差（kWh）', en: 'Tariff sum tolerance (kWh)' },
        {
          'zh-CN': '各费率之和与总电量相差超过此值时标记为异常',
          en: 'A tariff sum this far from the total is flagged',
        },
      ),
    ),
  displayEnergyUnit: z
    .enum(['kWh', 'MWh'])
    .default('kWh')
    .meta(settingMeta({ 'zh-CN': '电能显示单位', en: 'Energy display unit' })),
});

export type PowerSettings = z.infer<typeof settingsSchema>;

export function settingsOrDefault(s: PowerSettings | undefined): PowerSettings {
  return s ?? settingsSchema.parse({});
}

export function rolloverFor(s: PowerSettings): Record<string, number> {
  return cumulativeRollovers(registers, s.meterDigits);
}

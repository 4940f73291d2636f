import { cumulativeRollovers, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';
import { registers } from './registers.ts';

export const settingsSchema = z.object({
  /** integer digits of the heat and volume counters; they wrap after 10^digits */
  meterDigits: z
    .number()
    .int()
    .min(5)
    .max(9)
    .default(6)
    .meta(
      settingMeta(
        { 'zh-CN': '计数器整数位数', en: 'Counter digits' },
        {
          'zh-CN': '热量与体积计数器在 10 的位数次方后归零',
          en: 'The heat and volume counters wrap after 10^digits',
        },
      ),
    ),
  /** more heat than this per day (kWh) is flagged as implausible */
  maxDailyEnergy: z
    .number()
    .positive()
    .default(500)
    .meta(
      settingMeta(
        { 'zh-CN': '日用热上限（kWh）', en: 'Daily heat limit (kWh)' },
        {
          'zh-CN': '单日热量超过此值时标记为异常',
          en: 'More heat than this per day is flagged as implausible',
        },
      ),
    ),
  displayEnergyUnit: z
    .enum(['kWh', 'GJ', 'MWh'])
    .default('kWh')
    .meta(settingMeta({ 'zh-CN': '热量显示单位', en: 'Heat display unit' })),
  /** allowed gap (K) between the reported difference and supply − return */
  temperatureTolerance: z
    .number()
    .nonnegative()
    .default(0.5)
    .meta(
      settingMeta(
        { 'zh-CN': '温差容差（K）', en: 'Temperature tolerance (K)' },
        {
          'zh-CN': '上报温差与供回水温度之差允许相差的范围',
          en: 'Allowed gap between the reported difference and supply − return',
        },
      ),
    ),
  /** allowed relative gap between reported power and flow × ΔT × 1.163 */
  powerTolerance: z
    .number()
    .positive()
    .max(1)
    .default(0.3)
    .meta(
      settingMeta(
        { 'zh-CN': '功率容差', en: 'Power tolerance' },
        {
          'zh-CN': '上报功率与 流量 × 温差 × 1.163 允许的相对偏差',
          en: 'Allowed relative gap between reported power and flow × ΔT × 1.163',
        },
      ),
    ),
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

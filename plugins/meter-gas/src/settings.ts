import { cumulativeRollovers, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';
import { registers } from './registers.ts';

export const settingsSchema = z.object({
  /** integer digits of the counters; they wrap after 10^digits m³ */
  meterDigits: z
    .number()
    .int()
    .min(4)
    .max(9)
    .default(5)
    .meta(
      settingMeta(
        { 'zh-CN': '计数器整数位数', en: 'Counter digits' },
        { 'zh-CN': '计数器在 10 的位数次方 m³ 后归零', en: 'The counters wrap after 10^digits m³' },
      ),
    ),
  /** more than this standard volume per day is flagged as implausible */
  maxDailyUsage: z
    .number()
    .positive()
    .default(5)
    .meta(
      settingMeta(
        { 'zh-CN': '日用量上限（m³）', en: 'Daily usage limit (m³)' },
        {
          'zh-CN': '单日标况用量超过此值时标记为异常',
          en: 'More standard volume than this per day is flagged as implausible',
        },
      ),
    ),
  /** which counter the tariff bills: the corrected standard volume or the raw working volume */
  billedVolume: z
    .enum(['standardVolume', 'workingVolume'])
    .default('standardVolume')
    .meta(
      settingMeta(
        { 'zh-CN': '计费体积', en: 'Billed volume' },
        { 'zh-CN': '价格方案按哪个计数器计费', en: 'Which counter the tariff bills' },
        {
          standardVolume: { 'zh-CN': '标况体积（修正后）', en: 'Standard volume (corrected)' },
          workingVolume: { 'zh-CN': '工况体积（未修正）', en: 'Working volume (raw)' },
        },
      ),
    ),
  /** accepted range of standard ÷ working growth (the volume correction factor) */
  correctionFactorMin: z
    .number()
    .positive()
    .default(0.5)
    .meta(
      settingMeta(
        { 'zh-CN': '修正系数下限', en: 'Lowest correction factor' },
        {
          'zh-CN': '标况增量 ÷ 工况增量低于此值时标记为异常',
          en: 'A standard ÷ working growth below this is flagged',
        },
      ),
    ),
  correctionFactorMax: z
    .number()
    .positive()
    .default(3)
    .meta(
      settingMeta(
        { 'zh-CN': '修正系数上限', en: 'Highest correction factor' },
        {
          'zh-CN': '标况增量 ÷ 工况增量高于此值时标记为异常',
          en: 'A standard ÷ working growth above this is flagged',
        },
      ),
    ),
});

export type GasSettings = z.infer<typeof settingsSchema>;

export function settingsOrDefault(s: GasSettings | undefined): GasSettings {
  return s ?? settingsSchema.parse({});
}

export function rolloverFor(s: GasSettings): Record<string, number> {
  return cumulativeRollovers(registers, s.meterDigits);
}

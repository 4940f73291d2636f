import { cumulativeRollovers, settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';
import { registers } from './registers.ts';

export const settingsSchema = z.object({
  /** integer digits of the counter; it wraps to zero after 10^digits m³ */
  meterDigits: z
    .number()
    .int()
    .min(4)
    .max(9)
    .default(5)
    .meta(
      settingMeta(
        { 'zh-CN': '计数器整数位数', en: 'Counter digits' },
        { 'zh-CN': '计数器在 10 的位数次方 m³ 后归零', en: 'The counter wraps to zero after 10^digits m³' },
      ),
    ),
  /** more than this per day is flagged as implausible */
  maxDailyUsage: z
    .number()
    .positive()
    .default(10)
    .meta(
      settingMeta(
        { 'zh-CN': '日用量上限（m³）', en: 'Daily usage limit (m³)' },
        { 'zh-CN': '单日用量超过此值时标记为异常', en: 'More than this per day is flagged as implausible' },
      ),
    ),
  displayUnit: z
    .enum(['m3', 'L'])
    .default('m3')
    .meta(
      settingMeta({ 'zh-CN': '显示单位', en: 'Display unit' }, undefined, {
        m3: { 'zh-CN': '立方米（m³）', en: 'Cubic metres (m³)' },
        L: { 'zh-CN': '升（L）', en: 'Litres (L)' },
      }),
    ),
});

export type WaterSettings = z.infer<typeof settingsSchema>;

export function settingsOrDefault(s: WaterSettings | undefined): WaterSettings {
  return s ?? settingsSchema.parse({});
}

/** Rollover of each counter for the tenant's meter size (the register decimals stay). */
export function rolloverFor(s: WaterSettings): Record<string, number> {
  return cumulativeRollovers(registers, s.meterDigits);
}

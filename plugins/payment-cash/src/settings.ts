import { settingMeta } from '@quadmeter/sdk';
import { z } from 'zod';

export const settingsSchema = z.object({
  /** whether the counter takes card-terminal payments besides cash */
  cardTerminal: z
    .boolean()
    .default(true)
    .meta(
      settingMeta(
        { 'zh-CN': '允许刷卡收费', en: 'Accept card-terminal payments' },
        {
          'zh-CN': '收费台可登记刷卡终端的凭证号收费',
          en: 'The counter may record payments by a card terminal receipt number',
        },
      ),
    ),
  /** a single cash payment above this (fen) is refused at the counter; 0 = no limit */
  maxCashFen: z
    .number()
    .int()
    .min(0)
    .max(100_000_000_000)
    .default(0)
    .meta(
      settingMeta(
        { 'zh-CN': '单笔现金上限（分）', en: 'Cash limit per payment (fen)' },
        { 'zh-CN': '0 表示不限', en: '0 means no limit' },
      ),
    ),
});

export type CashSettings = z.infer<typeof settingsSchema>;

import { CONSUMPTION_GROUPS } from '../../services/analysis/stats/consumption.ts';
import { GRAINS } from '../../services/analysis/stats/period.ts';
import { READING_GROUPS } from '../../services/analysis/stats/reading.ts';
import { text, z } from '../route-kit.ts';

export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .openapi({ example: '2026-11-30' });
export const Month = z
  .string()
  .regex(/^\d{4}-\d{2}$/, 'a month YYYY-MM')
  .openapi({ example: '2026-11' });
const Ratio = z.number().nullable().openapi({ description: 'a fraction (0.05 = 5 %), null when undefined' });
const Fen = z.number().int().openapi({ description: 'integer fen' });

export const ConsumptionQuery = z.object({
  grain: z.enum(GRAINS).default('day'),
  from: Day,
  to: Day,
  groupBy: z.enum(CONSUMPTION_GROUPS).default('none'),
  areaId: z.uuid().optional(),
  kind: text(1, 64).optional(),
  customerType: text(0, 64).optional(),
});

export const ConsumptionResponse = z
  .object({
    grain: z.enum(GRAINS),
    groupBy: z.enum(CONSUMPTION_GROUPS),
    from: z.string(),
    to: z.string(),
    series: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        meterKind: z.string(),
        total: z.number(),
        points: z.array(
          z.object({
            bucket: z.string(),
            usage: z.number(),
            previous: z.number().nullable(),
            lastYear: z.number().nullable(),
            mom: Ratio,
            yoy: Ratio,
          }),
        ),
      }),
    ),
  })
  .openapi('ConsumptionStats');

export const ReadingQuery = z.object({
  from: Day,
  to: Day,
  groupBy: z.enum(READING_GROUPS).default('area'),
  areaId: z.uuid().optional(),
  onlineHours: z.coerce.number().int().min(1).max(720).default(24),
});

const Outcomes = z.object({ attempted: z.number().int(), succeeded: z.number().int(), rate: Ratio });
export const ReadingResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(READING_GROUPS),
    items: z.array(Outcomes.extend({ key: z.string(), label: z.string() })),
    total: Outcomes,
    online: z.object({
      meters: z.number().int(),
      online: z.number().int(),
      hours: z.number().int(),
      rate: Ratio,
    }),
  })
  .openapi('ReadingStats');

export const MonthQuery = z.object({ month: Month, areaId: z.uuid().optional() });

const Balance = z.object({
  kind: z.string(),
  master: z.number(),
  sub: z.number(),
  loss: z.number(),
  lossRate: Ratio,
});
export const BalanceResponse = z
  .object({
    month: z.string(),
    meters: z.array(
      Balance.extend({
        meterId: z.string(),
        assetNo: z.string(),
        areaId: z.string(),
        areaName: z.string(),
        subMeters: z.number().int(),
      }),
    ),
    areas: z.array(Balance.extend({ areaId: z.string(), areaName: z.string() })),
    trend: z.array(Balance.extend({ month: z.string() })),
  })
  .openapi('BalanceStats');

export const BillingResponse = z
  .object({
    month: z.string(),
    collection: z.object({ bills: z.number().int(), billedFen: Fen, collectedFen: Fen, rate: Ratio }),
    arrears: z.object({
      accounts: z.number().int(),
      totalFen: Fen,
      ageing: z.object({ d0_30: Fen, d31_90: Fen, d91_180: Fen, d181: Fen }),
      asOf: z.string().nullable(),
    }),
    prepaid: z.record(z.string(), z.number().int()),
  })
  .openapi('BillingStats');

export const OverviewResponse = z
  .object({
    day: z.string(),
    reading: Outcomes,
    exceptions: z.object({ open: z.number().int().nullable() }),
    arrears: z.object({ accounts: z.number().int(), totalFen: Fen }),
    prepaid: z.object({ cutPending: z.number().int(), cut: z.number().int() }),
    consumption: z.array(
      z.object({
        meterKind: z.string(),
        points: z.array(z.object({ day: z.string(), usage: z.number() })),
      }),
    ),
  })
  .openapi('StatsOverview');

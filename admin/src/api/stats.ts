import { http } from './http.ts';
import type { QueryOf, Schema } from './types.ts';

// Statistics: the operator's dashboard (home page) and the 统计分析 pages; every figure comes from the stats rollups.
export type StatsOverview = Schema<'StatsOverview'>;
export type ConsumptionStats = Schema<'ConsumptionStats'>;
export type ReadingStats = Schema<'ReadingStats'>;
export type BalanceStats = Schema<'BalanceStats'>;
export type BillingStats = Schema<'BillingStats'>;
export type ConsumptionQuery = QueryOf<'/stats/consumption'>;
export type ReadingQuery = QueryOf<'/stats/reading'>;

export const statsApi = {
  overview: () => http.get<StatsOverview>('/stats/overview'),
  consumption: (q: Partial<ConsumptionQuery>) => http.get<ConsumptionStats>('/stats/consumption', { ...q }),
  reading: (q: Partial<ReadingQuery>) => http.get<ReadingStats>('/stats/reading', { ...q }),
  balance: (month: string, areaId?: string) => http.get<BalanceStats>('/stats/balance', { month, areaId }),
  billing: (month: string, areaId?: string) => http.get<BillingStats>('/stats/billing', { month, areaId }),
};

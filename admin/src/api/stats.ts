import { http } from './http.ts';
import type { Schema } from './types.ts';

// Statistics for the operator's dashboard (home page): every figure comes from the stats rollups.
export type StatsOverview = Schema<'StatsOverview'>;

export const statsApi = {
  overview: () => http.get<StatsOverview>('/stats/overview'),
};

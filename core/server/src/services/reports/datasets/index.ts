import type { ReportDataset } from '../types.ts';
import { anomaliesByRule } from './anomalies.ts';
import { arrears, paymentsDaily, prepaidBalances, tariffRevenue } from './billing.ts';
import { dailyReading, lossAnalysis, monthlyConsumption, readingSuccess } from './metering.ts';

/** The platform's built-in datasets, in menu order. */
export const builtinDatasets: readonly ReportDataset[] = [
  dailyReading,
  monthlyConsumption,
  readingSuccess,
  arrears,
  prepaidBalances,
  lossAnalysis,
  anomaliesByRule,
  paymentsDaily,
  tariffRevenue,
];

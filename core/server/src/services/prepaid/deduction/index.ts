export { deductDay } from './run.ts';
export { executeDeductionRun, openRun } from './runs.ts';
export {
  enqueueDeductionRun,
  queueMeterDeductions,
  resumeDeductionRuns,
  startDeductionWorker,
  tickTenant,
} from './worker.ts';

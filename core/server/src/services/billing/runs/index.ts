export { type CreateRunInput, cancelRun, createRun } from './create.ts';
export { BILL_RUN_QUEUE, type BillRunJob, enqueueRun } from './queue.ts';
export { type BillRunRow, findRun, listRuns, type RunFailure, runFailures } from './store.ts';
export { executeRun, type RunOptions, resumeRuns, startBillRunWorker } from './worker.ts';

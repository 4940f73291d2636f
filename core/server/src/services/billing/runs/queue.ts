import type { Tx } from '../../../db/client.ts';
import type { Jobs } from '../../../jobs/jobs.ts';

/**
 * The bill run queue. A job is `jobs.send(BILL_RUN_QUEUE, tenantId, { runId })` (pg-boss payload
 * `{ tenantId, data: { runId } }`); other services (re-bills) insert a bill_runs row and enqueue
 * the same way. A job names only the run: everything else is read from the row.
 */
export const BILL_RUN_QUEUE = 'billing.run';

export interface BillRunJob {
  runId: string;
}

/** Enqueues the run; with `tx`, only if that transaction commits. */
export async function enqueueRun(jobs: Jobs, tenantId: string, runId: string, tx?: Tx): Promise<void> {
  await jobs.send<BillRunJob>(BILL_RUN_QUEUE, tenantId, { runId }, { tx });
}

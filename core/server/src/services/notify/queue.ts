import type { Tx } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';

/** One pg-boss job drains a tenant's notify outbox; a singleton per tenant and second. */
export const NOTIFY_QUEUE = 'notify.send';
export const NOTIFY_TICK_QUEUE = 'notify.tick';

let running: Jobs | undefined;

/** The sender registers the job queue here so `enqueueNotice` can wake it in the caller's transaction. */
export function setNotifyJobs(jobs: Jobs | undefined): void {
  running = jobs;
}

/** Wakes the tenant's sender now or at `at`; with `tx`, only if that transaction commits. */
export async function kickNotify(
  tenantId: string,
  o: { tx?: Tx; at?: Date; jobs?: Jobs } = {},
): Promise<void> {
  const jobs = o.jobs ?? running;
  if (!jobs) return; // no sender in this process: the minute tick of the one that runs finds the notice
  const startAfter = o.at ? Math.max(0, Math.ceil((o.at.getTime() - Date.now()) / 1000)) : undefined;
  await jobs.send(
    NOTIFY_QUEUE,
    tenantId,
    {},
    {
      tx: o.tx,
      startAfter,
      singletonKey: startAfter ? `${tenantId}:${Math.floor((o.at?.getTime() ?? 0) / 1000)}` : tenantId,
    },
  );
}

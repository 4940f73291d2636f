import type { Tx } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';

/** One pg-boss job drains a tenant's outbox; a singleton per tenant, so kicks never pile up. */
export const DISPATCH_QUEUE = 'commands.dispatch';

export interface DispatchJob {
  /** why the pump was kicked (log only) */
  why: string;
}

/**
 * Wakes the tenant's outbox pump now or at `at` (a retry's next attempt); `tx`: only if the
 * transaction that queued the command commits.
 */
export async function kick(jobs: Jobs, tenantId: string, why: string, o: { tx?: Tx; at?: Date } = {}) {
  const startAfter = o.at ? Math.max(0, Math.ceil((o.at.getTime() - Date.now()) / 1000)) : undefined;
  await jobs.send<DispatchJob>(
    DISPATCH_QUEUE,
    tenantId,
    { why },
    {
      tx: o.tx,
      startAfter,
      singletonKey: startAfter ? `${tenantId}:${Math.floor((o.at?.getTime() ?? 0) / 1000)}` : tenantId,
    },
  );
}

import type { Jobs } from '../../jobs/jobs.ts';
import { enqueueNotice } from '../notify/enqueue.ts';
import { zone } from '../readings/zone.ts';
import type { PrepaidDeps } from './evaluate.ts';
import type { Notify } from './notify.ts';

/**
 * THE one place prepaid notices leave the core: the notification outbox, in the caller's
 * transaction (the crossing is recorded, with its notice name and key, in prepaid_events).
 */
export const prepaidNotify: Notify = async (tx, n) => {
  await enqueueNotice(tx, n);
};

/** The dependencies the worker and the routes evaluate accounts with. */
export function prepaidDeps(jobs: Jobs, timeZone: string, notify: Notify = prepaidNotify): PrepaidDeps {
  return { jobs, zone: zone(timeZone), notify };
}

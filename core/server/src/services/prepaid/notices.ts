import type { Jobs } from '../../jobs/jobs.ts';
import { zone } from '../readings/zone.ts';
import type { PrepaidDeps } from './evaluate.ts';
import type { Notify } from './notify.ts';

/**
 * THE one place prepaid notices leave the core. Until the notification outbox is merged this
 * keeps nothing (the crossing is still recorded, with its notice name and key, in prepaid_events);
 * at merge: `import { enqueueNotice } from '../notify/enqueue.ts'` and
 * `export const prepaidNotify: Notify = enqueueNotice;`.
 */
export const prepaidNotify: Notify = async () => {};

/** The dependencies the worker and the routes evaluate accounts with. */
export function prepaidDeps(jobs: Jobs, timeZone: string, notify: Notify = prepaidNotify): PrepaidDeps {
  return { jobs, zone: zone(timeZone), notify };
}

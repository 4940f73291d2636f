import type { Config } from './config.ts';

export type Role = Config['QUADMETER_ROLE'];

/** What a process of each role runs (docs/scaling.md); `all` is one node doing everything. */
export interface RoleParts {
  /** the API and admin over HTTP (other roles answer only /healthz and /readyz) */
  api: boolean;
  /** pg-boss workers: bill runs, deductions, imports, notify, prepaid, late fees, schedule ticks */
  worker: boolean;
  /** long-lived connections: reading lines under a lease, draining the command outbox */
  gateway: boolean;
}

export function roleParts(role: Role): RoleParts {
  return {
    api: role === 'api' || role === 'all',
    worker: role === 'worker' || role === 'all',
    gateway: role === 'gateway' || role === 'all',
  };
}

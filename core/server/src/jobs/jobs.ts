import { PgBoss } from 'pg-boss';
import type { Logger } from '../logger.ts';

/** Every job names its tenant, so workers open the right tenant transaction. */
export interface TenantJob<T = Record<string, unknown>> {
  tenantId: string;
  data: T;
}

export interface Jobs {
  readonly boss: PgBoss;
  ensureQueue(name: string): Promise<void>;
  send<T extends object>(
    queue: string,
    tenantId: string,
    data: T,
    options?: { singletonKey?: string; startAfter?: number },
  ): Promise<string | null>;
  /** batch enqueue (one statement) for fan-out */
  insert<T extends object>(queue: string, tenantId: string, items: T[]): Promise<void>;
  work<T extends object>(
    queue: string,
    handler: (job: TenantJob<T> & { id: string }) => Promise<void>,
    options?: { batchSize?: number; pollingIntervalSeconds?: number },
  ): Promise<void>;
  ping(): Promise<void>;
  stop(): Promise<void>;
}

export const JOBS_SCHEMA = 'pgboss';

/** `max`: pg-boss's own connection pool (QUADMETER_POOL_JOBS). */
export async function startJobs(url: string, logger: Logger, max = 5): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString: url,
    schema: JOBS_SCHEMA,
    max,
    application_name: 'quadmeter-jobs',
  });
  boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  await boss.start();
  const known = new Set<string>();
  const ensureQueue = async (name: string) => {
    if (known.has(name)) return;
    if (!(await boss.getQueue(name)))
      await boss.createQueue(name).catch(async (e) => {
        if (!(await boss.getQueue(name))) throw e;
      });
    known.add(name);
  };
  return {
    boss,
    ensureQueue,
    async send(queue, tenantId, data, options) {
      await ensureQueue(queue);
      return await boss.send(queue, { tenantId, data }, options ?? {});
    },
    async insert(queue, tenantId, items) {
      await ensureQueue(queue);
      await boss.insert(
        queue,
        items.map((data) => ({ data: { tenantId, data } })),
      );
    },
    async work(queue, handler, options) {
      await ensureQueue(queue);
      await boss.work<TenantJob>(
        queue,
        { batchSize: options?.batchSize ?? 10, pollingIntervalSeconds: options?.pollingIntervalSeconds ?? 1 },
        async (jobs) => {
          for (const job of jobs) await handler({ id: job.id, ...(job.data as TenantJob<never>) });
        },
      );
    },
    async ping() {
      await boss.getQueues();
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}

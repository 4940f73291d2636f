import { type JobResult, type JobWithMetadata, PgBoss } from 'pg-boss';
import postgres from 'postgres';
import type { Tx } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { jobDuration, jobWait } from '../metrics/registry.ts';
import { grantEnqueue, txDatabase } from './tx-database.ts';

/** Every job names its tenant, so workers open the right tenant transaction. */
export interface TenantJob<T = Record<string, unknown>> {
  tenantId: string;
  data: T;
}

export interface SendOptions {
  singletonKey?: string;
  startAfter?: number;
  /** enqueue inside this transaction: the job exists only if the transaction commits */
  tx?: Tx;
}

export interface WorkOptions {
  /** jobs fetched per poll; each one is completed or failed on its own */
  batchSize?: number;
  pollingIntervalSeconds?: number;
  /** workers this process runs for the queue (pg-boss localConcurrency) */
  concurrency?: number;
  /**
   * wake the queue's workers when a job is enqueued (a NOTIFY sent when the enqueuing transaction
   * commits) instead of at their next poll: for jobs a user waits for. The polls go on as before
   * (retries, delayed jobs). A queue that existed without it is woken once pg-boss has refreshed
   * its queue cache (a minute); until then it is polled as before.
   */
  wakeOnSend?: boolean;
}

export interface Jobs {
  readonly boss: PgBoss;
  ensureQueue(name: string): Promise<void>;
  send<T extends object>(
    queue: string,
    tenantId: string,
    data: T,
    options?: SendOptions,
  ): Promise<string | null>;
  /** batch enqueue (one statement) for fan-out; `tx` as for send */
  insert<T extends object>(queue: string, tenantId: string, items: T[], options?: { tx?: Tx }): Promise<void>;
  /** starts workers for the queue; a job whose handler throws is failed (and retried) alone */
  work<T extends object>(
    queue: string,
    handler: (job: TenantJob<T> & { id: string }) => Promise<void>,
    options?: WorkOptions,
  ): Promise<string>;
  /** stops the queue's workers, waiting for the jobs they hold */
  offWork(queue: string): Promise<void>;
  ping(): Promise<void>;
  stop(): Promise<void>;
}

export const JOBS_SCHEMA = 'pgboss';

function failure(err: unknown): { message: string } {
  return { message: err instanceof Error ? err.message : String(err) };
}

/** advisory lock key held while a process starts the queue (pg-boss installs or checks its schema) */
const START_LOCK = 0x71_6d_6a_62; // 'qmjb'

/**
 * Starts pg-boss with a transaction-level advisory lock held on a connection of its own: pg-boss
 * creates or migrates its schema and grants on start, and two processes doing that at the same
 * moment fail with "tuple concurrently updated"; under the lock they take turns.
 */
async function startSerialised(url: string, boss: PgBoss): Promise<void> {
  const lock = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: 'quadmeter-jobs' },
  });
  try {
    await lock.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${START_LOCK})`;
      await boss.start();
      await grantEnqueue(boss, JOBS_SCHEMA);
    });
  } finally {
    await lock.end();
  }
}

/** `max`: pg-boss's own connection pool (QUADMETER_POOL_JOBS). */
export async function startJobs(url: string, logger: Logger, max = 5): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString: url,
    schema: JOBS_SCHEMA,
    max,
    application_name: 'quadmeter-jobs',
    // one listening connection; only queues whose workers ask for it (wakeOnSend) send NOTIFYs
    useListenNotify: true,
  });
  boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  await startSerialised(url, boss);
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
      const { tx, ...rest } = options ?? {};
      return await boss.send(queue, { tenantId, data }, { ...rest, ...(tx && { db: txDatabase(tx) }) });
    },
    async insert(queue, tenantId, items, options) {
      await ensureQueue(queue);
      await boss.insert(
        queue,
        items.map((data) => ({ data: { tenantId, data } })),
        options?.tx ? { db: txDatabase(options.tx) } : undefined,
      );
    },
    async work(queue, handler, options) {
      await ensureQueue(queue);
      if (options?.wakeOnSend && !(await boss.getQueue(queue))?.notify)
        await boss.updateQueue(queue, { notify: true });
      return await boss.work(
        queue,
        {
          batchSize: options?.batchSize ?? 10,
          pollingIntervalSeconds: options?.pollingIntervalSeconds ?? 1,
          // the NOTIFY only comes earlier: retries and delayed jobs are still found by the same polls
          notifyPollingIntervalSeconds: options?.pollingIntervalSeconds ?? 1,
          localConcurrency: options?.concurrency ?? 1,
          perJobResults: true,
          includeMetadata: true,
        },
        async (batch: JobWithMetadata<TenantJob>[]) => {
          const results: JobResult[] = [];
          for (const job of batch) {
            const started = performance.now();
            const due = Math.max(new Date(job.createdOn).getTime(), new Date(job.startAfter).getTime());
            jobWait.observe({ queue }, Math.max(0, new Date(job.startedOn).getTime() - due) / 1000);
            try {
              await handler({ id: job.id, ...(job.data as TenantJob<never>) });
              results.push({ id: job.id, status: 'completed' });
              jobDuration.observe({ queue, outcome: 'completed' }, (performance.now() - started) / 1000);
            } catch (err) {
              logger.warn({ queue, jobId: job.id, err }, 'job failed');
              results.push({ id: job.id, status: 'failed', output: failure(err) });
              jobDuration.observe({ queue, outcome: 'failed' }, (performance.now() - started) / 1000);
            }
          }
          return results;
        },
      );
    },
    async offWork(queue) {
      await boss.offWork(queue, { wait: true });
    },
    async ping() {
      await boss.getQueues();
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}

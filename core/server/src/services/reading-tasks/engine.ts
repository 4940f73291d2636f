import type { Db } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Logger } from '../../logger.ts';
import type { Platform } from '../../platform.ts';
import type { Registry } from '../../registry/index.ts';
import { bothStored, veeOnStored } from '../analysis/vee/jobs.ts';
import { meterKinds } from '../archives/meter-kinds.ts';
import { LeaseKeeper } from '../gateway/lease-keeper.ts';
import { nodeId } from '../gateway/leases.ts';
import { perReadingDeductions } from '../prepaid/deduction/per-reading.ts';
import type { IngestDeps } from '../readings/ingest.ts';
import { partitionKeeper } from '../readings/partitions.ts';
import { type Zone, zone } from '../readings/zone.ts';
import { LineLocks } from './line-locks.ts';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions, runTask } from './runner.ts';
import { RUN_QUEUE, type RunJob } from './service.ts';
import { resumeLapsed, tickSchedules } from './tick.ts';

export const TICK_QUEUE = 'reading-schedules.tick';

export interface EngineDeps {
  /** the jobs pool: reading never starves the API */
  db: Db;
  jobs: Jobs;
  registry: Registry;
  logger: Logger;
  timeZone: string;
  options?: Partial<EngineOptions>;
  /** tasks run at once by this process */
  concurrency?: number;
  /** false: no minute tick (tests drive `tick` themselves) */
  cron?: boolean;
  /** false: no task worker (an api node or a worker node: tasks are read by the gateways) */
  read?: boolean;
  /** gateway leases on the lines this node reads (default: a fresh node id, TTL 10 s) */
  gateway?: { owner?: string; ttlMs?: number };
}

export interface Engine {
  zone: Zone;
  ingest: IngestDeps;
  /** this node's gateway leases (shared with the command outbox's sender) */
  leases: LeaseKeeper;
  /** creates due schedule slots and resumes lapsed tasks; also run once on start */
  tick(now?: number): Promise<{ created: number; resumed: number }>;
  runNow(tenantId: string, taskId: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The reading engine: a pg-boss worker running reading tasks (one job per task; a killed run is
 * resumed from the database), and a minute tick (a pg-boss schedule, so one process a minute)
 * creating schedule slots and resuming tasks whose runner went away. Runs once on start, so a
 * slot missed while the server was down runs then.
 */
export async function startEngine(d: EngineDeps): Promise<Engine> {
  const z = zone(d.timeZone);
  const ingest: IngestDeps = {
    db: d.db,
    kinds: meterKinds(d.registry),
    zone: z,
    partitions: partitionKeeper(d.db),
    // per-reading prepaid deduction (decision 0030): queued after the readings commit
    stored: bothStored(
      perReadingDeductions(d.db, d.jobs, d.timeZone, d.logger),
      veeOnStored(d.jobs, d.logger),
    ),
  };
  const options = { ...DEFAULT_ENGINE_OPTIONS, ...d.options };
  const stopping = new AbortController();
  const leases = new LeaseKeeper(
    d.db,
    d.gateway?.owner ?? nodeId(),
    { ttlMs: d.gateway?.ttlMs ?? 10_000 },
    d.logger,
  );
  const runner = {
    db: d.db,
    registry: d.registry,
    ingest,
    logger: d.logger,
    options,
    lines: new LineLocks(),
    stopping: stopping.signal,
    leases,
  };
  const tickDeps = { db: d.db, jobs: d.jobs, zone: z, timeZone: d.timeZone, logger: d.logger };
  const tick = async (now?: number) => {
    const created = await tickSchedules(tickDeps, now);
    const resumed = await resumeLapsed(tickDeps);
    return { created, resumed };
  };
  await d.jobs.ensureQueue(RUN_QUEUE);
  if (d.read !== false)
    await d.jobs.work<RunJob>(RUN_QUEUE, (job) => runTask(runner, job.tenantId, job.data.taskId), {
      batchSize: 1,
      concurrency: d.concurrency ?? 4,
      pollingIntervalSeconds: 0.5,
    });
  if (d.cron !== false) {
    await d.jobs.ensureQueue(TICK_QUEUE);
    await d.jobs.boss.schedule(TICK_QUEUE, '* * * * *', {}, { tz: d.timeZone });
    await d.jobs.work(TICK_QUEUE, async () => {
      await tick();
    });
    await tick().catch((err) => d.logger.error({ err }, 'reading schedules tick failed on start'));
  }
  return {
    zone: z,
    ingest,
    leases,
    tick,
    runNow: (tenantId, taskId) => runTask(runner, tenantId, taskId),
    /** running tasks stop at their next step and are handed back; then the workers stop */
    async stop() {
      stopping.abort();
      if (d.read !== false) await d.jobs.offWork(RUN_QUEUE);
      await leases.stop();
      if (d.cron !== false) await d.jobs.offWork(TICK_QUEUE);
    },
  };
}

/** The engine of the running platform (main.ts stops it before the job queue and the plugins). */
export async function startReadingEngine(
  p: Platform,
  options?: Partial<EngineOptions>,
  parts: { cron?: boolean; read?: boolean } = {},
): Promise<Engine> {
  return await startEngine({
    ...parts,
    gateway: { ttlMs: p.config.QUADMETER_LEASE_TTL_MS },
    options,
    db: p.database.jobs,
    jobs: p.jobs,
    registry: p.registry,
    logger: p.logger,
    timeZone: p.config.QUADMETER_TIMEZONE,
  });
}

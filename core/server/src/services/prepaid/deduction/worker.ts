import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client.ts';
import { readSystem, withTenant } from '../../../db/tenant.ts';
import type { Jobs } from '../../../jobs/jobs.ts';
import type { Logger } from '../../../logger.ts';
import { addDays, dayIn } from './days.ts';
import { type DeductOptions, deductDay } from './run.ts';
import { executeDeductionRun } from './runs.ts';
import { readSettings } from './settings.ts';

/** A run of one day: `{ runId }`. */
export const DEDUCT_RUN_QUEUE = 'prepaid.deduct-run';
/** One meter's day after its readings were stored (per-reading mode): `{ meterId, day }`. */
export const DEDUCT_METER_QUEUE = 'prepaid.deduct-meter';
/** The tick that opens each tenant's daily run once its time of day has come. */
export const DEDUCT_TICK_QUEUE = 'prepaid.deduct-tick';
/** Readings of a meter arriving within this many seconds are deducted together. */
export const METER_DEBOUNCE_S = 60;

export interface DeductRunJob {
  runId: string;
}
export interface DeductMeterJob {
  meterId: string;
  day: string;
}

/** Enqueues a run; with `tx`, only if that transaction commits. */
export async function enqueueDeductionRun(
  jobs: Jobs,
  tenantId: string,
  runId: string,
  tx?: Tx,
): Promise<void> {
  await jobs.send<DeductRunJob>(DEDUCT_RUN_QUEUE, tenantId, { runId }, { tx });
}

/**
 * Per-reading mode: after readings of prepaid meters are stored, each meter's day is deducted
 * period to date, debounced — one job per meter and day is waiting at a time (pg-boss singleton
 * key), started METER_DEBOUNCE_S after the first reading, so a burst of readings costs one pass.
 */
export async function queueMeterDeductions(
  jobs: Jobs,
  tenantId: string,
  meterDays: readonly DeductMeterJob[],
  debounceS = METER_DEBOUNCE_S,
): Promise<void> {
  for (const m of meterDays)
    await jobs.send<DeductMeterJob>(DEDUCT_METER_QUEUE, tenantId, m, {
      singletonKey: `${m.meterId}:${m.day}`,
      startAfter: debounceS,
    });
}

/**
 * Opens and enqueues the tenant's run for the previous local day once the local time of day has
 * passed its run time; a day that already has a run row is left alone (POST /deduction-runs
 * reruns a day). Returns the run id opened, if any.
 */
export async function tickTenant(
  db: Db,
  jobs: Jobs,
  tenantId: string,
  zone: string,
  now: Date,
): Promise<string | null> {
  const today = dayIn(zone, now);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(now);
  return await withTenant(db, tenantId, async (tx) => {
    const s = await readSettings(tx);
    if (time < s.runAt) return null;
    const [r] = (await tx.execute(sql`insert into prepaid_deduction_runs (tenant_id, day)
      values (app_tenant_id(), ${addDays(today, -1)}::date) on conflict (tenant_id, day) do nothing
      returning id::text as id`)) as unknown as { id: string }[];
    if (!r) return null;
    await enqueueDeductionRun(jobs, tenantId, r.id, tx);
    return r.id;
  });
}

/** Re-enqueues runs left queued or running by a crashed process (safe from every process). */
export async function resumeDeductionRuns(db: Db, jobs: Jobs): Promise<number> {
  const tenants = (await readSystem(db, (x) =>
    x.execute(sql`select id::text as id from tenants where status = 'active'`),
  )) as unknown as { id: string }[];
  let n = 0;
  for (const t of tenants) {
    const runs = (await withTenant(db, t.id, (tx) =>
      tx.execute(
        sql`select id::text as id from prepaid_deduction_runs where status in ('queued', 'running')`,
      ),
    )) as unknown as { id: string }[];
    for (const r of runs) await enqueueDeductionRun(jobs, t.id, r.id);
    n += runs.length;
  }
  return n;
}

export interface DeductionWorkerOptions extends DeductOptions {
  /** re-enqueue runs a crashed process left (at start) */
  resume?: boolean;
  /** schedule the daily tick (off in tests that drive days themselves) */
  cron?: boolean;
  timeZone: string;
}

/** Registers the deduction queues: runs (one at a time per process), meters, and the tick. */
export async function startDeductionWorker(
  p: { db: Db; jobs: Jobs; logger: Logger },
  o: DeductionWorkerOptions,
): Promise<{ stop(): Promise<void> }> {
  const { resume, cron, timeZone, ...run } = o;
  await p.jobs.ensureQueue(DEDUCT_RUN_QUEUE);
  await p.jobs.work<DeductRunJob>(
    DEDUCT_RUN_QUEUE,
    async (job) => {
      try {
        await executeDeductionRun(p.db, job.tenantId, job.data.runId, run);
      } catch (err) {
        p.logger.error({ err, runId: job.data.runId }, 'prepaid deduction run failed');
      }
    },
    { batchSize: 1, concurrency: 1, pollingIntervalSeconds: 0.5 },
  );
  await p.jobs.ensureQueue(DEDUCT_METER_QUEUE);
  await p.jobs.work<DeductMeterJob>(
    DEDUCT_METER_QUEUE,
    async (job) => {
      await deductDay(p.db, job.tenantId, job.data.day, { meters: [job.data.meterId] });
    },
    { batchSize: 1, concurrency: 1, pollingIntervalSeconds: 1 },
  );
  if (cron !== false) {
    const tick = async () => {
      const tenants = (await readSystem(p.db, (x) =>
        x.execute(sql`select id::text as id from tenants where status = 'active' order by id`),
      )) as unknown as { id: string }[];
      for (const t of tenants)
        await tickTenant(p.db, p.jobs, t.id, timeZone, new Date()).catch((err) =>
          p.logger.error({ err, tenantId: t.id }, 'prepaid deduction tick failed'),
        );
    };
    await p.jobs.ensureQueue(DEDUCT_TICK_QUEUE);
    await p.jobs.boss.schedule(DEDUCT_TICK_QUEUE, '*/5 * * * *', {}, { tz: timeZone });
    await p.jobs.work(DEDUCT_TICK_QUEUE, tick);
  }
  if (resume) await resumeDeductionRuns(p.db, p.jobs);
  return {
    async stop() {
      await p.jobs.offWork(DEDUCT_RUN_QUEUE);
      await p.jobs.offWork(DEDUCT_METER_QUEUE);
      if (cron !== false) await p.jobs.offWork(DEDUCT_TICK_QUEUE);
    },
  };
}

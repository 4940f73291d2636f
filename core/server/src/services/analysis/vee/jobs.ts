import { sql } from 'drizzle-orm';
import { readSystem, withTenant } from '../../../db/tenant.ts';
import type { Jobs } from '../../../jobs/jobs.ts';
import type { Logger } from '../../../logger.ts';
import type { Platform } from '../../../platform.ts';
import { meterKinds } from '../../archives/meter-kinds.ts';
import { runDiagnosis } from './run.ts';

/** Meters whose readings were just stored: diagnose them (and their masters). */
export const VEE_METERS_QUEUE = 'analysis.vee.meters';
/** The nightly slot: fans out one sweep per active tenant. */
export const VEE_SWEEP_QUEUE = 'analysis.vee.sweep';
/** One tenant's nightly sweep over all its installed meters. */
export const VEE_TENANT_QUEUE = 'analysis.vee.tenant';

/** Largest number of meters one incremental job carries. */
const CHUNK = 500;

/**
 * The ingest hook: after a tenant's share of a batch committed, enqueue the touched meters for
 * diagnosis instead of diagnosing on the ingest path. A failure to enqueue is logged, never thrown
 * (the nightly sweep catches up).
 */
export function veeOnStored(jobs: Jobs, logger: Logger) {
  let ready = false;
  return async (tenantId: string, readings: { meterId: string; ts: number }[]): Promise<void> => {
    const ids = [...new Set(readings.map((r) => r.meterId))];
    try {
      if (!ready) {
        await jobs.ensureQueue(VEE_METERS_QUEUE);
        ready = true;
      }
      for (let i = 0; i < ids.length; i += CHUNK)
        await jobs.send(VEE_METERS_QUEUE, tenantId, { meterIds: ids.slice(i, i + CHUNK) });
    } catch (err) {
      logger.warn({ err, tenantId, meters: ids.length }, 'vee: could not enqueue a diagnosis');
    }
  };
}

/** Chains ingest hooks: each runs after the one before. */
export function bothStored(
  ...hooks: ((tenantId: string, readings: { meterId: string; ts: number }[]) => Promise<void>)[]
) {
  return async (tenantId: string, readings: { meterId: string; ts: number }[]) => {
    for (const h of hooks) await h(tenantId, readings);
  };
}

/**
 * The workers: incremental diagnosis of touched meters, and the nightly sweep at 02:40 in the
 * tenants' time zone (one job per active tenant, singleton per tenant and day).
 */
export async function startVee(
  p: Pick<Platform, 'registry' | 'config' | 'jobs' | 'database' | 'logger'>,
  now: () => Date = () => new Date(),
): Promise<void> {
  const kinds = meterKinds(p.registry);
  const tz = p.config.QUADMETER_TIMEZONE;
  for (const q of [VEE_METERS_QUEUE, VEE_SWEEP_QUEUE, VEE_TENANT_QUEUE]) await p.jobs.ensureQueue(q);
  await p.jobs.work<{ meterIds: string[] }>(VEE_METERS_QUEUE, async (job) => {
    await withTenant(p.database.jobs, job.tenantId, (tx) =>
      runDiagnosis(tx, job.tenantId, kinds, now(), job.data.meterIds),
    );
  });
  await p.jobs.boss.schedule(VEE_SWEEP_QUEUE, '40 2 * * *', {}, { tz });
  await p.jobs.work(VEE_SWEEP_QUEUE, async () => {
    const day = now().toISOString().slice(0, 10);
    const tenants = (await readSystem(p.database.jobs, (d) =>
      d.execute(sql`select id::text as id from tenants where status = 'active' order by id`),
    )) as unknown as { id: string }[];
    for (const { id } of tenants)
      await p.jobs.send(VEE_TENANT_QUEUE, id, {}, { singletonKey: `${id}:${day}` });
  });
  await p.jobs.work(VEE_TENANT_QUEUE, async (job) => {
    const r = await withTenant(p.database.jobs, job.tenantId, (tx) =>
      runDiagnosis(tx, job.tenantId, kinds, now()),
    );
    p.logger.info({ tenantId: job.tenantId, ...r }, 'vee sweep');
  });
}

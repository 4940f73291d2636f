import { sql } from 'drizzle-orm';
import { readSystem, withTenant } from '../../../db/tenant.ts';
import type { Platform } from '../../../platform.ts';
import { todayIn } from '../../archives/scope.ts';
import { runLateFees } from './late-fees.ts';

/** The daily slot: fans out one job per active tenant. */
export const LATE_FEE_SCHEDULE_QUEUE = 'billing.late-fees';
/** One tenant's late fees for one day. */
export const LATE_FEE_TENANT_QUEUE = 'billing.late-fees.tenant';

/**
 * Late fees daily at 00:10 in the tenants' time zone (QUADMETER_TIMEZONE), through pg-boss: the
 * schedule enqueues one job per active tenant (singleton per tenant and day), and each tenant's job
 * posts its fees in its own tenant transaction, so one tenant's failure is retried alone.
 */
export async function startLateFees(p: Platform): Promise<void> {
  const tz = p.config.QUADMETER_TIMEZONE;
  await p.jobs.ensureQueue(LATE_FEE_SCHEDULE_QUEUE);
  await p.jobs.boss.schedule(LATE_FEE_SCHEDULE_QUEUE, '10 0 * * *', {}, { tz });
  await p.jobs.work(LATE_FEE_SCHEDULE_QUEUE, async () => {
    const day = todayIn(tz);
    const tenants = (await readSystem(p.database.jobs, (d) =>
      d.execute(sql`select id::text as id from tenants where status = 'active' order by id`),
    )) as unknown as { id: string }[];
    for (const { id } of tenants)
      await p.jobs.send(LATE_FEE_TENANT_QUEUE, id, { day }, { singletonKey: `${id}:${day}` });
  });
  await p.jobs.work<{ day: string }>(LATE_FEE_TENANT_QUEUE, async (job) => {
    const n = await withTenant(p.database.jobs, job.tenantId, (tx) => runLateFees(tx, job.data.day));
    p.logger.info({ tenantId: job.tenantId, day: job.data.day, entries: n }, 'late fees posted');
  });
}

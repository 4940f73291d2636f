import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { readSystem, withTenant } from '../../../db/tenant.ts';
import type { Platform } from '../../../platform.ts';
import { todayIn } from '../../archives/scope.ts';
import { refreshStats } from './refresh.ts';

export const STATS_QUEUE = 'stats.refresh';

/** The window of `days` calendar days ending today in `timeZone`. */
export function lastDays(timeZone: string, days: number) {
  const to = todayIn(timeZone);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/** Refreshes every tenant's stats rollups for the last `days` days, one tenant transaction each. */
export async function refreshAllTenants(db: Db, timeZone: string, days: number) {
  const tenants = (await readSystem(db, (d) =>
    d.execute(sql`select id::text as id from tenants order by id`),
  )) as unknown as { id: string }[];
  const w = lastDays(timeZone, days);
  for (const { id } of tenants) await withTenant(db, id, (tx) => refreshStats(tx, w, timeZone));
  return tenants.length;
}

/**
 * Keeps the stats rollups fresh through pg-boss: every 10 minutes yesterday and today (what ingest
 * and reading tasks are changing), and nightly the last 40 days (late frozen values, backfills).
 */
export async function startStatsRefresh(p: Platform): Promise<void> {
  const tz = p.config.QUADMETER_TIMEZONE;
  const nightly = `${STATS_QUEUE}.nightly`;
  await p.jobs.ensureQueue(STATS_QUEUE);
  await p.jobs.ensureQueue(nightly);
  await p.jobs.boss.schedule(STATS_QUEUE, '*/10 * * * *', { days: 2 }, { tz });
  await p.jobs.boss.schedule(nightly, '45 3 * * *', { days: 40 }, { tz });
  // scheduled jobs carry the schedule's data as they are ({ days }), not a tenant's job
  const handler = async (job: object) => {
    const days = Math.min(400, Math.max(1, Number((job as { days?: number }).days) || 2));
    const n = await refreshAllTenants(p.database.jobs, tz, days);
    p.logger.info({ tenants: n, days }, 'stats rollups refreshed');
  };
  await p.jobs.work(STATS_QUEUE, handler);
  await p.jobs.work(nightly, handler);
}

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { readSystem, withTenant } from '../../db/tenant.ts';
import type { Platform } from '../../platform.ts';
import { type PartitionKeeper, partitionKeeper } from './partitions.ts';

/** Days an idempotency key is remembered: a replay later than this is judged by (meter, kind, ts) alone. */
export const READING_KEY_DAYS = 60;

export const MAINTAIN_QUEUE = 'readings.maintain';

/**
 * Daily upkeep of the readings store: partitions for this month and the next two (ingest also
 * creates them on demand), and idempotency keys older than `keepDays` forgotten, tenant by tenant
 * (reading_keys is row-level-secured for every role).
 */
export async function maintainReadings(db: Db, partitions: PartitionKeeper, keepDays = READING_KEY_DAYS) {
  partitions.known.clear();
  const created = await partitions.ensure([]);
  const tenants = (await readSystem(db, (d) =>
    d.execute(sql`select id::text as id from tenants order by id`),
  )) as unknown as { id: string }[];
  let pruned = 0;
  for (const { id } of tenants) {
    const gone = await withTenant(db, id, (tx) =>
      tx.execute(sql`delete from reading_keys where seen_at < now() - make_interval(days => ${keepDays})`),
    );
    pruned += gone.count;
  }
  return { created, pruned };
}

/** Runs maintainReadings daily at 03:30 in the platform's zone, through pg-boss (once per slot). */
export async function startReadingMaintenance(p: Platform): Promise<void> {
  const keeper = partitionKeeper(p.database.jobs);
  await p.jobs.ensureQueue(MAINTAIN_QUEUE);
  await p.jobs.boss.schedule(MAINTAIN_QUEUE, '30 3 * * *', {}, { tz: p.config.QUADMETER_TIMEZONE });
  await p.jobs.work(MAINTAIN_QUEUE, async () => {
    const r = await maintainReadings(p.database.jobs, keeper);
    p.logger.info({ partitions: r.created, keysPruned: r.pruned }, 'readings maintained');
  });
}

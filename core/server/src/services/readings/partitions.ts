import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { withSystem } from '../../db/tenant.ts';

/** Months kept ahead of the current one. */
export const MONTHS_AHEAD = 2;

/** 'YYYY-MM' of an instant, UTC (partition bounds are UTC months). */
export const utcMonth = (ms: number) => new Date(ms).toISOString().slice(0, 7);

function monthsAhead(now: number): string[] {
  const d = new Date(now);
  return Array.from({ length: MONTHS_AHEAD + 1 }, (_, i) =>
    new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i, 1)).toISOString().slice(0, 7),
  );
}

/**
 * Creates readings partitions on demand: every month a batch touches, plus the current month and
 * MONTHS_AHEAD after it, each in its own short transaction before the tenant transaction opens
 * (creating a partition locks the parent, so never inside a long batch). Months known to exist are
 * remembered by the process.
 */
export function partitionKeeper(db: Db, now: () => number = Date.now) {
  const known = new Set<string>();
  return {
    known,
    async ensure(months: Iterable<string>): Promise<string[]> {
      const created: string[] = [];
      for (const m of new Set([...months, ...monthsAhead(now())])) {
        if (known.has(m)) continue;
        const [r] = (await withSystem(db, (tx) =>
          tx.execute(sql`select readings_ensure_partition(${`${m}-01`}::date) as created`),
        )) as unknown as { created: boolean }[];
        if (r?.created) created.push(m);
        known.add(m);
      }
      return created;
    },
  };
}

export type PartitionKeeper = ReturnType<typeof partitionKeeper>;

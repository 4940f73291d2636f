import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { withTenant } from '../../../db/tenant.ts';
import type { Jobs } from '../../../jobs/jobs.ts';
import type { Logger } from '../../../logger.ts';
import { dayIn } from './days.ts';
import { queueMeterDeductions } from './worker.ts';

/** How long a tenant's mode is trusted before it is read again (ms). */
const MODE_TTL = 60_000;

/**
 * The ingest hook of per-reading mode: after a tenant's readings committed, the prepaid meters
 * among them get a debounced deduction of their reading's local day (queueMeterDeductions). A
 * tenant in daily mode costs one cached lookup a minute; failures are logged, never the ingest's.
 */
export function perReadingDeductions(
  db: Db,
  jobs: Jobs,
  timeZone: string,
  logger: Logger,
  debounceS?: number,
) {
  const modes = new Map<string, { perReading: boolean; at: number }>();
  return async (tenantId: string, readings: { meterId: string; ts: number }[]): Promise<void> => {
    try {
      const now = Date.now();
      let m = modes.get(tenantId);
      if (!m || now - m.at > MODE_TTL) {
        const [r] = await withTenant(db, tenantId, (tx) =>
          tx.execute<{ mode: string }>(sql`select mode from prepaid_deduction_settings`),
        );
        m = { perReading: r?.mode === 'per-reading', at: now };
        modes.set(tenantId, m);
      }
      if (!m.perReading) return;
      const pairs = new Map<string, { meterId: string; day: string }>();
      for (const r of readings) {
        const day = dayIn(timeZone, new Date(r.ts));
        pairs.set(`${r.meterId}:${day}`, { meterId: r.meterId, day });
      }
      const prepaid = await withTenant(db, tenantId, (tx) =>
        tx.execute<{ id: string }>(sql`select mt.id::text as id from meters mt
          where mt.id = any(string_to_array(${[...new Set(readings.map((r) => r.meterId))].join(',')}, ',')::uuid[])
            and mt.account_id is not null
            and (select b.mode from account_billing_modes b where b.account_id = mt.account_id
                 and b.effective_from <= current_date order by b.effective_from desc limit 1) = 'prepaid'`),
      );
      const ids = new Set(prepaid.map((r) => r.id));
      await queueMeterDeductions(
        jobs,
        tenantId,
        [...pairs.values()].filter((p) => ids.has(p.meterId)),
        debounceS,
      );
    } catch (err) {
      logger.error({ err, tenantId }, 'per-reading deduction not queued');
    }
  };
}

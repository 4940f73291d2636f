import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { billingStats } from './billing.ts';
import { consumptionStats } from './consumption.ts';
import { areaFilter, shift } from './period.ts';

/**
 * Open exceptions (anomaly_findings open or assigned) within the scope, or null while the anomaly
 * queue's table is not installed.
 */
export async function openExceptions(tx: Tx, actor: Actor): Promise<number> {
  const { cond } = await areaFilter(tx, actor, undefined);
  const [r] = (await tx.execute(sql`
    select count(*)::int as n from anomaly_findings f
    join meters m on m.tenant_id = f.tenant_id and m.id = f.meter_id
    join areas a on a.tenant_id = m.tenant_id and a.id = m.area_id
    where ${cond} and f.status in ('open', 'assigned')`)) as unknown as { n: number }[];
  return r.n;
}

/** The operator's dashboard tiles for `today` (the tenant's calendar day), all from the rollups. */
export async function overview(tx: Tx, actor: Actor, today: string) {
  const { cond } = await areaFilter(tx, actor, undefined);
  const [reading] = (await tx.execute(sql`
    select coalesce(sum(s.attempted), 0)::int as attempted, coalesce(sum(s.succeeded), 0)::int as succeeded
    from stats_reading_daily s join areas a on a.tenant_id = s.tenant_id and a.id = s.area_id
    where ${cond} and s.day = ${today}::date`)) as unknown as { attempted: number; succeeded: number }[];
  const billing = await billingStats(tx, actor, { month: today.slice(0, 7) });
  const trend = await consumptionStats(tx, actor, {
    grain: 'day',
    from: shift(today, 'day', -29),
    to: today,
    groupBy: 'kind',
  });
  return {
    day: today,
    reading: {
      ...reading,
      rate:
        reading.attempted === 0
          ? null
          : Math.round((reading.succeeded / reading.attempted) * 10_000) / 10_000,
    },
    exceptions: { open: await openExceptions(tx, actor) },
    arrears: { accounts: billing.arrears.accounts, totalFen: billing.arrears.totalFen },
    prepaid: { cutPending: billing.prepaid.cut_pending, cut: billing.prepaid.cut },
    consumption: trend.series.map((s) => ({
      meterKind: s.meterKind,
      points: s.points.map((p) => ({ day: p.bucket, usage: p.usage })),
    })),
  };
}

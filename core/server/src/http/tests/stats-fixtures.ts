import { sql } from 'drizzle-orm';
import { withSystem } from '../../db/tenant.ts';
import { lastDays } from '../../services/analysis/stats/job.ts';
import { refreshArrears, refreshConsumption, refreshReading } from '../../services/analysis/stats/refresh.ts';
import { postEntries } from '../../services/billing/ledger/index.ts';
import { entry } from '../../services/billing/ledger/ledger-fixtures.ts';
import { inDemo } from './archive-fixtures.ts';
import { finished, type ReadingWorld, readingWorld } from './reading-fixtures.ts';

/** The day the arrears are aged at in these tests. */
export const AS_OF = '2026-11-15';

/**
 * The reading world (two power meters on LINE_A in 1号楼 = area A, two on LINE_B in 3号楼 = area B)
 * after one real reading task over the root today, plus planted per-meter rollups:
 * A0 2024-10 80, 2025-09 40, 2025-10 100; A1 (a sub-meter of A0) 2025-10 30; B0 2025-10 7;
 * an account in each area with charges (A: 100.00 on 09-30 and 20.00 on 10-31 less a 50.00 payment,
 * B: 7.00 on 10-31) and A's prepaid account cut_pending. Stats refreshed (arrears as of AS_OF).
 */
export interface StatsWorld extends ReadingWorld {
  accA: string;
  accB: string;
}

async function account(w: ReadingWorld, areaId: string, n: string): Promise<string> {
  return await inDemo(w.p, async (tx) => {
    const [c] = await tx.execute<{ id: string }>(
      sql`insert into customers (tenant_id, number, name, area_id, type) values (app_tenant_id(), ${`SC${n}`}, ${`户主${n}`}, ${areaId}, 'business') returning id`,
    );
    const [a] = await tx.execute<{ id: string }>(
      sql`insert into accounts (tenant_id, customer_id, number) values (app_tenant_id(), ${c.id}, ${`SA${n}`}) returning id`,
    );
    return a.id;
  });
}

export async function statsWorld(): Promise<StatsWorld> {
  const w = await readingWorld();
  const task = await w.admin.post('/api/v1/reading-tasks', {
    target: 'area',
    areaId: w.root,
    kind: 'realtime',
  });
  await finished(w.admin, task.body.task.id);
  const accA = await account(w, w.areaA, '1');
  const accB = await account(w, w.areaB, '2');
  const [a0, a1] = w.metersA;
  const [b0] = w.metersB;
  const tz = w.p.running.platform.config.QUADMETER_TIMEZONE;
  await inDemo(w.p, async (tx) => {
    await tx.execute(sql`update meters set account_id = ${accA} where id = ${a0}`);
    const daily: [string, string, number][] = [
      [a0, '2024-10-10', 80],
      [a0, '2025-09-10', 40],
      [a0, '2025-10-10', 100],
      [a1, '2025-10-12', 30],
      [b0, '2025-10-10', 7],
    ];
    for (const [m, day, usage] of daily) {
      await tx.execute(sql`insert into consumption_daily (tenant_id, meter_id, day, usage, readings)
        values (app_tenant_id(), ${m}, ${day}::date, ${usage}, 1)`);
      await tx.execute(sql`insert into consumption_monthly (tenant_id, meter_id, month, usage, readings)
        values (app_tenant_id(), ${m}, date_trunc('month', ${day}::date)::date, ${usage}, 1)`);
    }
    await tx.execute(
      sql`insert into meter_relations (tenant_id, parent_id, child_id) values (app_tenant_id(), ${a0}, ${a1})`,
    );
    await postEntries(tx, [
      entry(accA, 'charge', -10000, 's:a:usage', { category: 'usage', occurredOn: '2026-09-30' }),
      entry(accA, 'charge', -2000, 's:a:fixed', { category: 'fixed', occurredOn: '2026-10-31' }),
      entry(accA, 'payment', 5000, 's:pay:a', { occurredOn: '2026-11-03' }),
      entry(accB, 'charge', -700, 's:b:usage', { category: 'usage', occurredOn: '2026-10-31' }),
    ]);
    // the exception queue: open findings on a0 (area A) and b0 (area B), one resolved on a1
    await tx.execute(sql`insert into anomaly_findings (tenant_id, meter_id, area_id, rule, severity, status, resolved_at)
      values (app_tenant_id(), ${a0}, ${w.areaA}, 'night-flow', 'warning', 'open', null),
        (app_tenant_id(), ${a1}, ${w.areaA}, 'no-data', 'warning', 'resolved', now()),
        (app_tenant_id(), ${b0}, ${w.areaB}, 'tamper', 'critical', 'assigned', null)`);
    await tx.execute(
      sql`insert into prepaid_accounts (tenant_id, account_id, state) values (app_tenant_id(), ${accA}, 'cut_pending')`,
    );
    const recent = lastDays(tz, 2);
    await refreshConsumption(tx, { from: '2024-01-01', to: recent.to });
    await refreshReading(tx, recent, tz);
    await refreshArrears(tx, AS_OF);
  });
  return { ...w, accA, accB };
}

/** Rows of the stats rollups over all tenants (the system path). */
export async function statsRows(w: ReadingWorld) {
  const [row] = await withSystem(w.p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from stats_consumption_daily)::int as consumption,
      (select count(*) from stats_reading_daily)::int as reading, (select count(*) from stats_arrears)::int as arrears,
      (select count(*) from consumption_daily)::int as daily, (select count(*) from ledger_entries)::int as entries`),
  );
  return row;
}

// A monthly tiered postpaid bill run (bj-power-monthly: 240/400 kWh, 340/500 for households of
// six or more, rounded on the total) for N accounts with one meter and a month of daily
// consumption each, seeded with set-based SQL — beside ONE set-based SQL statement computing the
// same charges (tier math in SQL) in the same run. Prints wall times, the ratio, and checks that
// every bill total equals the SQL's charge.
//   npm run bench -- billing [accounts] [chunk size] [parallel chunks]   (default 1,000,000 10000 2)
//   npm run bench -- billing --smoke                                      (3,000 accounts)
// DATABASE_URL unset: embedded PostgreSQL.
import { sql } from 'drizzle-orm';
import { withTenant } from '../core/server/src/db/tenant.ts';
import {
  monthlyPowerTariff,
  seedAccounts,
  seedArea,
  seedPlan,
  seedRun,
} from '../core/server/src/services/billing/runs/fixtures.ts';
import { SCAN_SETTINGS } from '../core/server/src/services/billing/runs/reads.ts';
import { executeRun } from '../core/server/src/services/billing/runs/worker.ts';
import { createTenant } from '../core/server/src/services/tenants/tenants.ts';
import { openBenchDatabase } from './archives-build.ts';
import { serverDuring, serverStats } from './server-stats.ts';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const nums = args.filter((a) => a !== '--smoke').map(Number);
const n = nums[0] ?? (smoke ? 3_000 : 1_000_000);
const chunkSize = nums[1] ?? 10_000;
const parallel = nums[2] ?? 2;
if (![n, chunkSize, parallel].every((x) => Number.isInteger(x) && x > 0))
  throw new Error(`accounts, chunk size and parallel chunks are positive integers, got ${nums.join(' ')}`);
const FROM = '2026-10-01';
const TO = '2026-11-01';
const DAYS = 31;
const SEED_SLICE = 100_000;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The tier math of the stored version (in force from 2019-12), as SQL over usage u and persons p. */
function chargeSql() {
  const v = (monthlyPowerTariff().versions as { tiers?: unknown; components: { tiers: Tiers }[] }[])[0];
  const t = v.components[0].tiers;
  const [t1, t2] = t.thresholds.map(Number);
  const [p1, p2, p3] = t.prices;
  const s = Number(t.household.shift);
  return sql.raw(`round((least(u, t1) * ${p1} + greatest(least(u, t2) - t1, 0) * ${p2}
      + greatest(u - t2, 0) * ${p3}) * 100)::bigint
    from (select account_id, u, ${t1} + (case when p >= ${t.household.persons} then ${s} else 0 end) as t1,
      ${t2} + (case when p >= ${t.household.persons} then ${s} else 0 end) as t2 from x) y`);
}
interface Tiers {
  thresholds: string[];
  prices: string[];
  household: { persons: number; shift: string };
}

/**
 * ONE statement: each account's charge for the period, from daily consumption (summed per meter
 * first, so the planner scans the month's rows once) and its household size.
 */
const charges = () => sql`with u as (
    select d.meter_id, sum(d.usage) as u from consumption_daily d
    where d.day >= ${FROM}::date and d.day < ${TO}::date group by d.meter_id
  ), x as (
    select m.account_id, sum(u.u) as u,
      (select f.value from customer_facts f where f.customer_id = a.customer_id and f.kind = 'household_size'
        and f.effective_from <= ${FROM}::date order by f.effective_from desc limit 1) as p
    from u join meters m on m.id = u.meter_id join accounts a on a.id = m.account_id
    group by m.account_id, a.customer_id)
  select account_id, ${chargeSql()}`;

const bench = await openBenchDatabase();
const db = bench.db.db;
try {
  const code = `bb${Date.now().toString(36)}`;
  const tenant = (
    await createTenant(db, { code, name: code, adminUsername: 'admin', adminPassword: `pw-${code}-x` })
  ).id;
  const t0 = performance.now();
  const area = await withTenant(db, tenant, async (tx) => {
    await seedPlan(tx);
    return await seedArea(tx, 'bench');
  });
  for (let i = 0; i * SEED_SLICE < n; i++)
    await withTenant(db, tenant, (tx) =>
      seedAccounts(tx, {
        tag: `${code}${i}`,
        n: Math.min(SEED_SLICE, n - i * SEED_SLICE),
        areaId: area,
        from: FROM,
        days: DAYS,
      }),
    );
  // vacuum, not just analyze: the first scan of freshly written rows sets their hint bits (with
  // data checksums, a WAL record per page) — a cost of bulk loading that neither side should pay
  for (const t of [
    'accounts',
    'customers',
    'meters',
    'consumption_daily',
    'customer_facts',
    'account_billing_modes',
  ])
    await bench.db.sql.unsafe(`vacuum (analyze) ${t}`);
  console.log(
    `${fmt(n)} accounts × 1 meter × ${DAYS} days of consumption seeded in ${secs(performance.now() - t0)}, ${bench.label}`,
  );

  // with the settings the run's usage staging uses (one scan, hash aggregates in memory)
  const s0 = performance.now();
  const [base] = (await withTenant(db, tenant, async (tx) => {
    await tx.execute(SCAN_SETTINGS);
    return await tx.execute(
      sql`select count(*)::int as n, sum(c.fen)::text as fen from (${charges()}) c(account_id, fen)`,
    );
  })) as unknown as { n: number; fen: string }[];
  const sqlMs = performance.now() - s0;

  const run = await withTenant(db, tenant, (tx) => seedRun(tx, null, FROM, TO));
  const w0 = await serverStats(bench.db.sql);
  const r0 = performance.now();
  const profile: Record<string, number> = {};
  await executeRun(db, tenant, run, { chunkSize, parallel, profile });
  const runMs = performance.now() - r0;
  const w1 = await serverStats(bench.db.sql);

  const [check] = (await withTenant(db, tenant, (tx) =>
    tx.execute(sql`select count(*)::int as bills, sum(b.total_fen)::text as fen,
      count(*) filter (where b.total_fen <> c.fen)::int as differ,
      (select count(*)::int from ledger_entries) as entries, (select count(*)::int from bill_lines) as lines,
      (select status from bill_runs where id = ${run}) as status
      from bills b join (${charges()}) c(account_id, fen) on c.account_id = b.account_id`),
  )) as unknown as {
    bills: number;
    fen: string;
    differ: number;
    entries: number;
    lines: number;
    status: string;
  }[];
  console.log(`SQL statement (charges of ${fmt(base.n)} accounts): ${secs(sqlMs)}`);
  console.log(
    `bill run (${fmt(check.bills)} bills, ${fmt(check.lines)} lines, ${fmt(check.entries)} ledger entries; chunks of ${fmt(chunkSize)}, ${parallel} at once): ${secs(runMs)}, ${fmt((n / runMs) * 1000)} accounts/s`,
  );
  console.log(
    `  phases (chunk phases summed over the ${parallel} lanes): ${Object.entries(profile)
      .map(([k, v]) => `${k} ${secs(v)}`)
      .join(', ')}`,
  );
  console.log(`  ${serverDuring(w0, w1)}`);
  console.log(`ratio run / SQL: ${(runMs / sqlMs).toFixed(2)}×   (goal: run < 120 s, ≤ 3×)`);
  console.log(
    `totals: run ${check.fen} fen, SQL ${base.fen} fen; bills differing from the SQL: ${check.differ}`,
  );
  if (check.status !== 'done' || check.bills !== n || check.fen !== base.fen || check.differ !== 0) {
    console.error('MISMATCH between the bill run and the SQL statement');
    process.exitCode = 1;
  }
} finally {
  await bench.stop();
}

// The prepaid daily deduction (services/prepaid/deduction) for N prepaid accounts with one meter
// each on a flat power tariff and one day of consumption, seeded set-based — beside ONE set-based
// SQL statement computing the same flat charges (sum(usage) × price per account, rounded to the
// fen) in the same run. Prints wall times, the ratio, the run's phases, and checks the totals.
// Also in the same run, the write floor: the same postings (amount, key, meter, day) inserted into
// the ledger by one set-based statement per half of the accounts on two connections at once — no
// pricing, no cursor, nothing the run does but the write, with the ledger's indexes and triggers —
// then rolled back (and the tables vacuumed) before the run; on the embedded server also the bare
// insert floor: the same with the ledger's triggers off (heap and indexes only).
//   npm run bench -- prepaid [--accounts N] [--batch B] [--parallel P]   (default 1,000,000)
//   npm run bench -- prepaid --smoke                                      (2,000 accounts)
// DATABASE_URL unset: embedded PostgreSQL.
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { withTenant } from '../core/server/src/db/tenant.ts';
import { seedArea } from '../core/server/src/services/billing/runs/fixtures.ts';
import {
  FLAT_PRICE,
  seedFlatPlan,
  seedPrepaidAccounts,
} from '../core/server/src/services/prepaid/deduction/fixtures.ts';
import { deductDay } from '../core/server/src/services/prepaid/deduction/run.ts';
import { createTenant } from '../core/server/src/services/tenants/tenants.ts';
import { openBenchDatabase } from './archives-build.ts';
import { serverDuring, serverStats } from './server-stats.ts';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(v) || v <= 0)
    throw new Error(`--${name} takes a positive integer, got ${args[i + 1]}`);
  return v;
};
const n = opt('accounts', smoke ? 2_000 : 1_000_000);
const batch = opt('batch', 25_000);
const parallel = opt('parallel', 2);
const DAY = '2026-11-15';
const SEED_SLICE = 250_000;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** ONE statement: each prepaid account's flat charge for the day, in fen. */
const charges =
  () => sql`select m.account_id, round(sum(d.usage) * ${FLAT_PRICE}::numeric * 100)::bigint as fen
  from consumption_daily d join meters m on m.id = d.meter_id
  where d.day = ${DAY}::date group by m.account_id`;

class RolledBack extends Error {}

/**
 * The write floor (see the head of this file): wall time and rows inserted before the rollback.
 * `bare`: on the superuser's connections with session_replication_role = replica, so the ledger's
 * triggers (balances, prepaid marks) do not fire: only the heap and the indexes are written.
 */
async function writeFloor(tenant: string, bare: boolean): Promise<{ ms: number; rows: number }> {
  const conn = bare ? postgres(bench.superuserUrl ?? '', { max: 2, onnotice: () => {} }) : bench.db.sql;
  const half = async (upper: boolean) => {
    let rows = 0;
    await conn
      .begin(async (s) => {
        await s`select set_config('app.tenant_id', ${tenant}, true)`;
        if (bare) await s`set local session_replication_role = replica`;
        else await s`select set_config('role', 'quadmeter_app', true)`;
        await s`set local work_mem = '256MB'`;
        const r = await s.unsafe(
          `insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, meter_id, occurred_on)
          select app_tenant_id(), m.account_id, 'charge', -c.fen, 'usage', 'deduct:' || m.id || ':' || $1, m.id, $1::date
          from (select d.meter_id, round(sum(d.usage) * $2::numeric * 100)::bigint as fen
                from consumption_daily d where d.day = $1::date and d.tenant_id = app_tenant_id() group by d.meter_id) c
          join meters m on m.id = c.meter_id
          where c.fen <> 0 and m.account_id ${upper ? '>=' : '<'} '80000000-0000-0000-0000-000000000000'::uuid
          order by m.account_id
          on conflict (tenant_id, business_key) do nothing`,
          [DAY, FLAT_PRICE],
        );
        rows = r.count;
        throw new RolledBack();
      })
      .catch((e) => {
        if (!(e instanceof RolledBack)) throw e;
      });
    return rows;
  };
  try {
    const f0 = performance.now();
    const [a, b] = await Promise.all([half(false), half(true)]);
    return { ms: performance.now() - f0, rows: a + b };
  } finally {
    if (bare) await conn.end();
  }
}

/** Vacuums what a rolled-back floor left dead, so that the next write starts from clean tables. */
async function vacuumLedger() {
  for (const t of ['ledger_entries', 'account_balances', 'prepaid_dirty'])
    await bench.db.sql.unsafe(`vacuum (analyze) ${t}`);
}

const bench = await openBenchDatabase();
const db = bench.db.db;
try {
  const code = `pp${Date.now().toString(36)}`;
  const tenant = (
    await createTenant(db, { code, name: code, adminUsername: 'admin', adminPassword: `pw-${code}-x` })
  ).id;
  const t0 = performance.now();
  const area = await withTenant(db, tenant, async (tx) => {
    await seedFlatPlan(tx);
    return await seedArea(tx, 'bench');
  });
  for (let i = 0; i * SEED_SLICE < n; i++)
    await withTenant(db, tenant, (tx) =>
      seedPrepaidAccounts(tx, {
        tag: `${code}${i}`,
        n: Math.min(SEED_SLICE, n - i * SEED_SLICE),
        areaId: area,
        from: DAY,
        days: 1,
      }),
    );
  for (const t of [
    'accounts',
    'customers',
    'meters',
    'consumption_daily',
    'account_billing_modes',
    'ledger_entries',
  ])
    await bench.db.sql.unsafe(`vacuum (analyze) ${t}`);
  console.log(
    `${fmt(n)} prepaid accounts × 1 meter × 1 day seeded in ${secs(performance.now() - t0)}, ${bench.label}`,
  );

  const s0 = performance.now();
  const [base] = (await withTenant(db, tenant, async (tx) => {
    await tx.execute(sql`set local work_mem = '256MB'`);
    return await tx.execute(sql`select count(*)::int as n, sum(c.fen)::text as fen from (${charges()}) c`);
  })) as unknown as { n: number; fen: string }[];
  const sqlMs = performance.now() - s0;

  const floor = await writeFloor(tenant, false);
  await vacuumLedger();
  // the bare floor needs the embedded cluster's superuser (none on DATABASE_URL)
  const bare = bench.superuserUrl ? await writeFloor(tenant, true) : null;
  if (bare) await vacuumLedger();

  const timing: Record<string, number> = {};
  const w0 = await serverStats(bench.db.sql);
  const r0 = performance.now();
  const r = await deductDay(db, tenant, DAY, { batch, parallel, timing });
  const runMs = performance.now() - r0;
  const w1 = await serverStats(bench.db.sql);

  const [check] = (await withTenant(db, tenant, (tx) =>
    tx.execute(sql`select count(*)::int as entries, coalesce(-sum(e.amount_fen), 0)::text as fen,
      (select count(*)::int from (${charges()}) c
        where c.fen <> coalesce((select -sum(e2.amount_fen) from ledger_entries e2 where e2.account_id = c.account_id), 0)) as differ,
      (select count(*)::int from account_balances b where b.balance_fen <> (select coalesce(sum(x.amount_fen), 0)
        from ledger_entries x where x.account_id = b.account_id)) as unbalanced
      from ledger_entries e`),
  )) as unknown as { entries: number; fen: string; differ: number; unbalanced: number }[];
  console.log(`SQL statement (flat charges of ${fmt(base.n)} accounts): ${secs(sqlMs)}`);
  console.log(
    `deduction run (${fmt(r.meters)} meters, ${fmt(r.posted)} postings; batches of ${fmt(batch)}, ${parallel} at once): ${secs(runMs)}, ${fmt((n / runMs) * 1000)} accounts/s`,
  );
  console.log(
    `  phases (summed over batches): scan wait ${secs(timing.scan ?? 0)} (first batch ${secs(timing.scanFirst ?? 0)}), price ${secs(timing.price ?? 0)}, write ${secs(timing.write ?? 0)}`,
  );
  console.log(`  ${serverDuring(w0, w1)}`);
  console.log(
    `write floor (the same ${fmt(floor.rows)} postings, one set-based insert per half of the accounts, two at once, rolled back): ${secs(floor.ms)}`,
  );
  console.log(`ratio run / SQL: ${(runMs / sqlMs).toFixed(2)}×   (goal: run < 120 s, ≤ 3×)`);
  if (bare)
    console.log(
      `bare insert floor (the same, the ledger's triggers off: heap and indexes only, no balances or prepaid marks): ${secs(bare.ms)}, ${(bare.ms / sqlMs).toFixed(2)}× the SQL`,
    );
  console.log(
    `ratio write floor / SQL: ${(floor.ms / sqlMs).toFixed(2)}×; run / write floor: ${(runMs / floor.ms).toFixed(2)}×`,
  );
  console.log(
    `totals: run ${r.fen} fen (ledger ${check.fen}), SQL ${base.fen} fen; accounts differing: ${check.differ}; balances off: ${check.unbalanced}`,
  );
  if (String(r.fen) !== base.fen || check.fen !== base.fen || check.differ !== 0 || check.unbalanced !== 0) {
    console.error('MISMATCH between the deduction run and the SQL statement');
    process.exitCode = 1;
  }
} finally {
  await bench.stop();
}

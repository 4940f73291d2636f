// Archives at scale: builds N meters (with customers, accounts, areas, routes and install events)
// in a fresh tenant with the bulk SQL of the demo estate (core/server/src/estate-bulk.ts), compares
// that insert rate with a raw COPY of the same meter rows into an UNLOGGED table without indexes,
// then serves the platform on loopback over that database and measures p50/p99 of the filtered,
// sorted, keyset-paginated meter list (an admin's and a scoped user's), the customer list and the
// trigram searches (ASCII and Chinese) through their HTTP routes, beside GET /healthz over the same
// HTTP, in the same run (bench/archives-lists.ts).
//   npm run bench -- archives [meters] [--explain]      (DATABASE_URL unset: embedded PostgreSQL)
// then the xlsx import of meters ÷ 10 meters, at most 100k (bench/archives-import.ts; --import-only N: just N)
// --explain prints EXPLAIN (ANALYZE, BUFFERS) of the search functions' queries; BENCH_BUDGET_S
// (default 120) caps each measuring phase.
import { randomBytes } from 'node:crypto';
import type { Tx } from '../core/server/src/db/client.ts';
import { withTenant } from '../core/server/src/db/tenant.ts';
import { type CustomerBlock, insertCustomers, insertMeterSegment } from '../core/server/src/estate-bulk.ts';
import { createTenant } from '../core/server/src/services/tenants/tenants.ts';
import {
  buildAreas,
  copyBaseline,
  insertConcentrators,
  openBenchDatabase,
  POINTS_PER_CONCENTRATOR,
  plan,
  segments,
} from './archives-build.ts';
import { servePlatform } from './archives-http.ts';
import { benchArchivesImport, importOnly, importRowsFor } from './archives-import.ts';
import { measureListsAndSearch } from './archives-lists.ts';

const args = process.argv.slice(2);
const explain = args.includes('--explain');
const n = Number(args.find((a) => !a.startsWith('--')) ?? 1_000_000);
if (!Number.isInteger(n) || n < 1000) throw new Error(`meters must be an integer ≥ 1000, got ${n}`);
const REQUESTS = 300;
/** per measuring phase: a seq-scanning search over 1M rows would otherwise run for many minutes */
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? 120) * 1000;

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const { db, stop, label } = await openBenchDatabase();
  try {
    const tenantCode = `bench-${randomBytes(4).toString('hex')}`;
    const password = `bench-${randomBytes(12).toString('hex')}`;
    const tenant = await createTenant(db.db, {
      code: tenantCode,
      name: '压测租户',
      adminUsername: 'admin',
      adminPassword: password,
    });
    const inTenant = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db.db, tenant.id, fn);
    const p = plan(n);
    console.log(
      `archives: ${fmt(n)} meters, ${fmt(p.households)} customers with accounts, ${p.communities} communities × 10 buildings × 4 units (${label})`,
    );

    // ---- build (each step one tenant transaction, as the demo estate) ----
    const t0 = performance.now();
    const tree = await inTenant((tx) => buildAreas(tx, p.communities));
    const blocks: CustomerBlock[] = tree.units.map((u, i) => ({
      areaId: u.node.id,
      label: u.label,
      floors: p.floors,
      rooms: p.rooms,
      firstNo: 1 + i * p.floors * p.rooms,
      type: 'resident',
    }));
    const customers = await inTenant((tx) => insertCustomers(tx, '', blocks));
    const tCustomers = performance.now() - t0;
    const concentratorCount = Math.ceil(p.households / POINTS_PER_CONCENTRATOR);
    const t1 = performance.now();
    let meters = 0;
    await inTenant(async (tx) => {
      const ids = await insertConcentrators(tx, concentratorCount, tree.root.id);
      for (const s of segments(p.households, n, ids)) {
        const ts = performance.now();
        meters += await insertMeterSegment(tx, '', s);
        if (process.env.BENCH_DEBUG) console.log(s.kind, s.count, Math.round(performance.now() - ts), 'ms');
      }
    });
    const tMeters = performance.now() - t1;
    await db.sql.unsafe('analyze areas, customers, accounts, meters, meter_routes, meter_events');
    console.log(
      `bulk insert: ${fmt(customers)} customers (+accounts, facts, billing modes) in ${secs(tCustomers)}; ` +
        `${fmt(meters)} meters (+routes, install events) in ${secs(tMeters)} = ${fmt((meters / tMeters) * 1000)} meters/s`,
    );

    // ---- raw COPY baseline: the same meter rows into an UNLOGGED table without indexes ----
    const copy = await copyBaseline(db, tenant.id);
    const bulkRate = (meters / tMeters) * 1000;
    console.log(
      `raw COPY of the same ${fmt(copy.rows)} meter rows (${(copy.bytes / 1e6).toFixed(0)} MB) into an UNLOGGED table without indexes: ` +
        `${secs(copy.ms)} = ${fmt(copy.rate)} rows/s; bulk insert ÷ raw COPY = ${(bulkRate / copy.rate).toFixed(2)}×`,
    );
    console.log(
      '  (the bulk path writes meters with 6 indexes and their search keys, routes with 3 and install events, under RLS, logged; the xlsx import path is measured last)',
    );

    const served = await servePlatform(db.url);
    try {
      await measureListsAndSearch({
        db,
        tenantId: tenant.id,
        inTenant,
        tree,
        requests: REQUESTS,
        budgetMs: BUDGET_MS,
        explain,
        url: served.url,
        tenantCode,
        password,
      });
    } finally {
      await served.stop();
    }
  } finally {
    await stop();
  }
}

if (!importOnly(args)) await main();
await benchArchivesImport(importRowsFor(args, n));

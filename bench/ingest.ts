// Reading ingest through the whole path — shape check, device registry (route → tenant, meter),
// meter-type validation, idempotent store into the partitioned readings table, daily and monthly
// rollups — beside a raw COPY of the same rows into an unindexed table, in the same run.
//   npm run bench -- ingest [meters] [slots] [callers]   (DATABASE_URL unset: embedded PostgreSQL)
// `callers` (default 1) concurrent ingestReadings calls, each with its share of a slot's meters
// (as several transports or workers would call it; the ingest pool has 5 connections).
// Readings arrive interval-major (every meter's quarter-hour, then the next), 10,000 per call of
// ingestReadings, as a head-end pushes them; rows are generated inside both timed loops.
// BENCH_BUDGET_S (default 120) caps the ingest phase; the COPY then loads as many rows as it did.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { withTenant } from '../core/server/src/db/tenant.ts';
import { ingestReadings } from '../core/server/src/services/readings/ingest.ts';
import {
  addMeters,
  ingestDeps,
  ingestTenant,
  serialReading,
  TRANSPORT,
} from '../core/server/src/services/readings/ingest-fixtures.ts';
import { openBenchDatabase } from './archives-build.ts';

const args = process.argv.slice(2);
const meters = Number(args[0] ?? 10_000);
const slots = Number(args[1] ?? 100);
const callers = Number(args[2] ?? 1);
if (!Number.isInteger(callers) || callers < 1 || callers > 5)
  throw new Error(`callers must be 1 … 5, got ${callers}`);
if (!Number.isInteger(meters) || meters < 100)
  throw new Error(`meters must be an integer ≥ 100, got ${meters}`);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? 120) * 1000;
const BATCH = 10_000;
const LINES = 50;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const bench = await openBenchDatabase();
const { db } = bench;
/** a CHECKPOINT before each timed phase, so neither pays for the other's dirty pages (superuser only) */
async function checkpoint() {
  const url = bench.superuserUrl ?? process.env.DATABASE_URL;
  if (!url) return;
  const s = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await s.unsafe('checkpoint');
  } catch {
    // not a superuser on DATABASE_URL: the phases run without it
  } finally {
    await s.end();
  }
}
try {
  const tenant = await ingestTenant(db.db, `bench${randomBytes(3).toString('hex')}`);
  const lineOf = (i: number) => `tcp://10.1.${Math.floor(i % LINES)}.1:4001`;
  const addressOf = (i: number) => String(Math.floor(i / LINES) + 1).padStart(12, '0');
  const ids: string[] = [];
  for (let from = 0; from < meters; from += 5000) {
    const n = Math.min(5000, meters - from);
    const specs = Array.from({ length: n }, (_, k) => ({
      comm: addressOf(from + k),
      via: 'serial' as const,
      line: lineOf(from + k),
    }));
    ids.push(...(await addMeters(db.db, tenant, specs)));
  }
  // a live archive has statistics; a freshly built one gets them here
  await db.sql.unsafe('analyze meters, meter_routes, plugin_settings, concentrators');
  const T0 = Date.parse('2026-11-01T00:00:00+08:00');
  const at = (slot: number) => new Date(T0 + slot * 900_000).toISOString();
  const value = (i: number, slot: number) => ((i % 5000) + slot / 100).toFixed(3);
  console.log(
    `${fmt(meters)} water meters on ${LINES} serial lines (the same addresses repeat on every line), ${callers} concurrent caller(s), ${bench.label}`,
  );

  // the whole path, interval-major
  const deps = ingestDeps(db.jobs);
  await deps.partitions.ensure([]);
  await checkpoint();
  let rows = 0;
  let slot = 0;
  const t0 = performance.now();
  for (; slot < slots && performance.now() - t0 < BUDGET_MS; slot++) {
    const ts = at(slot);
    const size = Math.min(BATCH, Math.ceil(meters / callers));
    const starts = Array.from({ length: Math.ceil(meters / size) }, (_, k) => k * size);
    const call = async (from: number) => {
      const batch = [];
      for (let i = from; i < Math.min(meters, from + size); i++)
        batch.push(serialReading(lineOf(i), addressOf(i), ts, value(i, slot)));
      const res = await ingestReadings(deps, TRANSPORT, batch);
      if (res.stored !== batch.length)
        throw new Error(
          `stored ${res.stored} of ${batch.length}: ${JSON.stringify(res.outcomes.find((o) => o.status !== 'stored'))}`,
        );
      rows += batch.length;
    };
    for (let k = 0; k < starts.length; k += callers)
      await Promise.all(starts.slice(k, k + callers).map(call));
  }
  const ingestMs = performance.now() - t0;
  const [check] = (await withTenant(db.db, tenant.tenantId, (tx) =>
    tx.execute(sql`select (select count(*)::int from readings) as readings,
      (select sum(readings)::int from consumption_daily) as rolled`),
  )) as unknown as { readings: number; rolled: number }[];
  if (check.readings !== rows || check.rolled !== rows)
    throw new Error(`count mismatch ${JSON.stringify(check)} vs ${rows}`);

  // the baseline: the same rows (meter ids known, nothing resolved or checked) by one COPY stream
  await db.sql.unsafe('drop table if exists bench_readings_copy');
  await db.sql.unsafe(`create table bench_readings_copy (tenant_id uuid not null, meter_id uuid not null,
    kind smallint not null, ts timestamptz not null, value numeric, flags text[], received_at timestamptz not null,
    idem_key text not null)`);
  await checkpoint();
  const t1 = performance.now();
  const sink = await db.sql.unsafe('copy bench_readings_copy from stdin').writable();
  const done = new Promise<void>((resolve, reject) => {
    sink.on('error', reject);
    sink.on('finish', resolve);
  });
  for (let s = 0; s < slot; s++) {
    const ts = at(s);
    let chunk = '';
    for (let i = 0; i < meters; i++) {
      chunk += `${tenant.tenantId}\t${ids[i]}\t1\t${ts}\t${value(i, s)}\t\\N\t${ts}\t${lineOf(i)}|${addressOf(i)}|${ts}\n`;
      if (chunk.length > 1 << 20) {
        if (!sink.write(chunk)) await new Promise((ok) => sink.once('drain', ok));
        chunk = '';
      }
    }
    if (chunk && !sink.write(chunk)) await new Promise((ok) => sink.once('drain', ok));
  }
  sink.end();
  await done;
  const copyMs = performance.now() - t1;
  const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from bench_readings_copy`;
  await db.sql.unsafe('drop table bench_readings_copy');
  if (n !== rows) throw new Error(`COPY loaded ${n} rows, expected ${rows}`);

  const rate = (r: number, ms: number) => (r / ms) * 1000;
  const ratio = rate(rows, ingestMs) / rate(n, copyMs);
  console.log(
    'method                                                  rows      seconds   rows/s     ÷ COPY',
  );
  console.log(
    `ingestReadings (resolve, validate, store, rollups)  ${fmt(rows).padStart(10)}  ${(ingestMs / 1000).toFixed(1).padStart(8)}  ${fmt(rate(rows, ingestMs)).padStart(9)}   ${ratio.toFixed(2)}`,
  );
  console.log(
    `raw COPY, unindexed table, one stream               ${fmt(n).padStart(10)}  ${(copyMs / 1000).toFixed(1).padStart(8)}  ${fmt(rate(n, copyMs)).padStart(9)}   1.00`,
  );
  console.log(
    `(${slot} quarter-hour slots${slot < slots ? `, stopped by the ${BUDGET_MS / 1000} s budget` : ''}; counts checked)`,
  );
  console.log(`goal: whole path ≥ 0.5 × COPY: ${ratio >= 0.5 ? 'met' : 'missed'} (${ratio.toFixed(2)})`);
} finally {
  await bench.stop();
}

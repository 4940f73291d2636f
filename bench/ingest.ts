// Reading ingest through the whole path — shape check, device registry (route → tenant, meter),
// meter-type validation, idempotent store into the partitioned readings table, daily and monthly
// rollups — beside a raw COPY of the same reading rows into an unindexed table, in the same run.
//   npm run bench -- ingest [meters] [slots] [batch sizes] [callers]   (DATABASE_URL unset: embedded PostgreSQL)
// Readings arrive interval-major (every meter's quarter-hour, then the next), handed to
// ingestReadings in batches of each size given (default 100,1000,10000: what a transport hands in),
// `slots` quarter-hours per size, each size continuing the meters' series where the last stopped.
// `callers` (default 1) concurrent ingestReadings calls (the ingest pool has 5 connections).
// Rows are generated inside every timed loop. The storage floor is the path's own insert
// statement alone (storeRows, batches of 1,000, in the tenant transaction) for as many rows.
// BENCH_BUDGET_S (default 120) caps each measured phase.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
import { type ReadingRow, storeRows } from '../core/server/src/services/readings/store.ts';
import { openBenchDatabase } from './archives-build.ts';

const args = process.argv.slice(2);
const meters = Number(args[0] ?? 10_000);
const slots = Number(args[1] ?? 10);
const sizes = (args[2] ?? '100,1000,10000').split(',').map(Number);
const callers = Number(args[3] ?? 1);
if (!Number.isInteger(callers) || callers < 1 || callers > 5)
  throw new Error(`callers must be 1 … 5, got ${callers}`);
if (!Number.isInteger(meters) || meters < 100)
  throw new Error(`meters must be an integer ≥ 100, got ${meters}`);
if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`bad batch sizes ${args[2]}`);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? 120) * 1000;
const LINES = 50;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const bench = await openBenchDatabase();
const { db } = bench;
/** a CHECKPOINT before each timed phase, so none pays for another's dirty pages (superuser only) */
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
/**
 * CPU seconds spent so far by this process and by every process of the database cluster (backends,
 * WAL writer, checkpointer…), read from /proc: on a shared machine a steadier cost than wall time.
 * Null when the server's processes cannot be read (a remote DATABASE_URL).
 */
const localServer =
  !process.env.DATABASE_URL || /@(127\.0\.0\.1|localhost)[:/]/.test(process.env.DATABASE_URL);
async function cpuNow(): Promise<number | null> {
  if (!localServer) return null;
  const mine = process.cpuUsage();
  const pids = await db.sql<{ pid: number }[]>`select pid from pg_stat_activity`;
  let ticks = 0;
  for (const { pid } of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone since the list was read: its time is lost to the phase (a short-lived process)
    }
  }
  return (mine.user + mine.system) / 1e6 + ticks / 100;
}
const cpuDiff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
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
  // mid-month (UTC): 1/15 of a month's readings lie within a day of a partition bound and also
  // write a reading_keys row; these do not
  const T0 = Date.parse('2026-11-10T00:00:00+08:00');
  const at = (slot: number) => new Date(T0 + slot * 900_000).toISOString();
  const value = (i: number, slot: number) => ((i % 5000) + slot / 100).toFixed(3);
  const key = (i: number, ts: string) => `${lineOf(i)}|${addressOf(i)}|${ts}`;
  console.log(
    `${fmt(meters)} water meters on ${LINES} serial lines (the same addresses repeat on every line), ${callers} concurrent caller(s), ${bench.label}`,
  );

  // the whole path, interval-major, one run per batch size
  const deps = ingestDeps(db.jobs);
  await deps.partitions.ensure([]);
  const runs: { size: number; rows: number; ms: number; slots: number; cpu: number | null }[] = [];
  let slot = 0;
  for (const size of sizes) {
    await checkpoint();
    let rows = 0;
    const first = slot;
    const c0 = await cpuNow();
    const t0 = performance.now();
    for (; slot < first + slots && performance.now() - t0 < BUDGET_MS; slot++) {
      const ts = at(slot);
      const s = slot;
      const starts = Array.from({ length: Math.ceil(meters / size) }, (_, k) => k * size);
      const call = async (from: number) => {
        const batch = [];
        for (let i = from; i < Math.min(meters, from + size); i++)
          batch.push(serialReading(lineOf(i), addressOf(i), ts, value(i, s)));
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
    const ms = performance.now() - t0;
    runs.push({ size, rows, ms, slots: slot - first, cpu: cpuDiff(c0, await cpuNow()) });
  }
  const total = runs.reduce((a, r) => a + r.rows, 0);
  const [check] = (await withTenant(db.db, tenant.tenantId, (tx) =>
    tx.execute(sql`select (select count(*)::int from readings) as readings,
      (select sum(readings)::int from consumption_daily) as rolled`),
  )) as unknown as { readings: number; rolled: number }[];
  if (check.readings !== total || check.rolled !== total)
    throw new Error(`count mismatch ${JSON.stringify(check)} vs ${total}`);

  // the storage floor: the path's insert statement alone (ids known, nothing resolved, checked or
  // rolled up), batches of 1,000, each in a tenant transaction, for as many rows as the 1,000 run
  const floorRows = runs.find((r) => r.size === 1000)?.rows ?? runs[0].rows;
  await checkpoint();
  const cf = await cpuNow();
  const tf = performance.now();
  let floorDone = 0;
  for (let s = slot; floorDone < floorRows; s++) {
    const ts = Date.parse(at(s));
    for (let from = 0; from < meters && floorDone < floorRows; from += 1000) {
      const batch: ReadingRow[] = [];
      for (let i = from; i < Math.min(meters, from + 1000); i++)
        batch.push({
          n: i - from,
          meterId: ids[i],
          kind: 1,
          ts,
          value: value(i, s),
          registers: null,
          flags: [],
          status: null,
          statusProtocol: null,
          receivedAt: ts,
          idemKey: key(i, at(s)),
        });
      const { stored } = await withTenant(db.jobs, tenant.tenantId, (tx) =>
        storeRows(tx, tenant.tenantId, batch),
      );
      if (stored.size !== batch.length) throw new Error(`floor stored ${stored.size} of ${batch.length}`);
      floorDone += batch.length;
    }
  }
  const floorMs = performance.now() - tf;
  const floorCpu = cpuDiff(cf, await cpuNow());

  // the baseline: the same reading rows (every column readings has) by one COPY stream into an
  // unindexed table; a short phase on a shared machine, so it runs three times and the median counts
  await db.sql.unsafe('drop table if exists bench_readings_copy');
  await db.sql.unsafe(`create table bench_readings_copy (tenant_id uuid not null, meter_id uuid not null,
    kind smallint not null, ts timestamptz not null, value numeric, registers jsonb, flags text[], status bigint,
    status_protocol text, received_at timestamptz not null, idem_key text not null)`);
  const copyOnce = async () => {
    await db.sql.unsafe('truncate bench_readings_copy');
    await checkpoint();
    const c1 = await cpuNow();
    const t1 = performance.now();
    const sink = await db.sql.unsafe('copy bench_readings_copy from stdin').writable();
    const done = new Promise<void>((resolve, reject) => {
      sink.on('error', reject);
      sink.on('finish', resolve);
    });
    let copied = 0;
    for (let s = 0; copied < total; s++) {
      const ts = at(s);
      let chunk = '';
      for (let i = 0; i < meters && copied < total; i++, copied++) {
        chunk += `${tenant.tenantId}\t${ids[i]}\t1\t${ts}\t${value(i, s)}\t\\N\t\\N\t\\N\t\\N\t${ts}\t${key(i, ts)}\n`;
        if (chunk.length > 1 << 20) {
          if (!sink.write(chunk)) await new Promise((ok) => sink.once('drain', ok));
          chunk = '';
        }
      }
      if (chunk && !sink.write(chunk)) await new Promise((ok) => sink.once('drain', ok));
    }
    sink.end();
    await done;
    const ms = performance.now() - t1;
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from bench_readings_copy`;
    const cpu = cpuDiff(c1, await cpuNow());
    if (n !== total) throw new Error(`COPY loaded ${n} rows, expected ${total}`);
    return { ms, cpu };
  };
  const copies = [await copyOnce(), await copyOnce(), await copyOnce()];
  const copyMs = copies.map((c) => c.ms).sort((a, b) => a - b)[1];
  const copyCpu = copies.some((c) => c.cpu === null)
    ? null
    : (copies.map((c) => c.cpu as number).sort((a, b) => a - b)[1] as number);
  const n = total;
  await db.sql.unsafe('drop table bench_readings_copy');

  const rate = (r: number, ms: number) => (r / ms) * 1000;
  const copyRate = rate(n, copyMs);
  /** CPU µs per row, client and every database process */
  const perRow = (cpu: number | null, rows: number) => (cpu === null ? null : (cpu * 1e6) / rows);
  const copyPerRow = perRow(copyCpu, n);
  const line = (what: string, batch: string, rows: number, ms: number, cpu: number | null) => {
    const us = perRow(cpu, rows);
    const cpuCols =
      us === null || copyPerRow === null
        ? '      n/a      n/a'
        : `${us.toFixed(1).padStart(9)}  ${(copyPerRow / us).toFixed(2).padStart(7)}`;
    console.log(
      `${what.padEnd(48)}${batch.padStart(7)}  ${fmt(rows).padStart(9)}  ${(ms / 1000).toFixed(1).padStart(6)}  ${fmt(rate(rows, ms)).padStart(9)}  ${(rate(rows, ms) / copyRate).toFixed(2).padStart(6)}${cpuCols}`,
    );
  };
  console.log(
    'method                                            batch       rows   wall s     rows/s  ÷ COPY  CPU µs/row  ÷ COPY',
  );
  for (const r of runs) line('whole path: ingestReadings', fmt(r.size), r.rows, r.ms, r.cpu);
  line('storage floor: the path’s insert alone', '1,000', floorDone, floorMs, floorCpu);
  line('raw COPY, unindexed table, one stream (median of 3)', '-', n, copyMs, copyCpu);
  console.log(
    `(${runs.map((r) => `${r.slots} slots at ${fmt(r.size)}`).join(', ')}${runs.some((r) => r.slots < slots) ? `; stopped by the ${BUDGET_MS / 1000} s budget` : ''}; counts checked)`,
  );
  for (const r of runs) {
    const ratio = rate(r.rows, r.ms) / copyRate;
    const us = perRow(r.cpu, r.rows);
    const byCpu = us === null || copyPerRow === null ? '' : `; by CPU ${(copyPerRow / us).toFixed(2)}`;
    console.log(
      `goal at batch ${fmt(r.size)}: whole path ≥ 0.5 × COPY: ${ratio >= 0.5 ? 'met' : 'missed'} (${ratio.toFixed(2)}${byCpu})`,
    );
  }
} finally {
  await bench.stop();
}

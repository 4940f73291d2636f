// Per-tenant backup and restore (core/server/src/services/backup) of a tenant with N readings
// (default 1,000,000) and 1,000 metered accounts — beside a raw COPY TO of the same tables in the
// same run (the floor any logical backup pays) and, when the server's major version matches the
// system pg_dump (/usr/lib/postgresql/15/bin), beside pg_dump -Fc of the same database.
// Prints MB/s (uncompressed COPY text) and rows/s, and the ratios against the baselines.
//   npm run bench -- ops [--readings N]       (default 1,000,000)
//   npm run bench -- ops --smoke              (20,000 readings)
// DATABASE_URL unset: embedded PostgreSQL (no pg_dump of the same major version; COPY baseline only).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, runMigrations } from '../core/server/src/db/client.ts';
import { rawClient } from '../core/server/src/db/raw-tx.ts';
import { bindTenant, withTenant } from '../core/server/src/db/tenant.ts';
import { backupTenant } from '../core/server/src/services/backup/backup.ts';
import {
  canonicalCopy,
  canonicalSettings,
  streamCopy,
} from '../core/server/src/services/backup/canonical.ts';
import { tenantTables } from '../core/server/src/services/backup/catalogue.ts';
import { restoreAsNewTenant } from '../core/server/src/services/backup/restore.ts';
import { seedAccounts, seedArea, seedPlan } from '../core/server/src/services/billing/runs/fixtures.ts';
import { createTenant } from '../core/server/src/services/tenants/tenants.ts';
import { openBenchDatabase } from './archives-build.ts';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const at = args.indexOf('--readings');
const readings = at >= 0 ? Number(args[at + 1]) : smoke ? 20_000 : 1_000_000;
if (!Number.isInteger(readings) || readings <= 0) throw new Error(`--readings takes a positive integer`);
const METERS = smoke ? 200 : 1_000;
const SLICE = 250_000;
const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const mb = (bytes: number) => bytes / 1024 / 1024;

/** On DATABASE_URL: a database of its own, so pg_dump dumps exactly this tenant. */
async function open() {
  if (!process.env.DATABASE_URL)
    return { ...(await openBenchDatabase()), url: undefined as string | undefined };
  const name = `qm_bench_ops_${Date.now().toString(36)}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${name}`;
  await runMigrations(u.toString());
  const db = openDatabase(u.toString());
  return {
    db,
    label: 'DATABASE_URL (own database)',
    url: u.toString(),
    async stop() {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const bench = await open();
const database = bench.db;
const dir = await mkdtemp(join(tmpdir(), 'qm-bench-ops-'));
try {
  const code = `ops${Date.now().toString(36)}`;
  const tenant = (
    await createTenant(database.db, {
      code,
      name: code,
      adminUsername: 'admin',
      adminPassword: `pw-${code}-x`,
    })
  ).id;
  const t0 = performance.now();
  await withTenant(database.db, tenant, async (tx) => {
    await seedPlan(tx);
    const areaId = await seedArea(tx, 'bench');
    await seedAccounts(tx, { tag: code, n: METERS, areaId, from: '2026-10-01', days: 30 });
    await tx.execute(sql`select readings_ensure_partition(d::date)
      from generate_series(date '2026-09-01', date '2027-03-01', interval '1 month') d`);
  });
  const perMeter = Math.ceil(readings / METERS);
  for (let from = 0; from < perMeter; from += Math.ceil(SLICE / METERS))
    await withTenant(database.db, tenant, (tx) =>
      tx.execute(sql`insert into readings (tenant_id, meter_id, kind, ts, value, registers, flags, received_at, idem_key)
        select app_tenant_id(), m.id, 0, timestamptz '2026-10-01 00:00Z' + h * interval '10 minutes',
          1000 + h * 0.125, jsonb_build_object('total', 1000 + h * 0.125), '{}', now(), m.id::text || ':' || h
        from (select id from meters order by id) m,
          generate_series(${from}::int, least(${from + Math.ceil(SLICE / METERS)}::int, ${perMeter}::int) - 1) h`),
    );
  console.log(
    `${bench.label}: seeded ${fmt(perMeter * METERS)} readings of ${METERS} meters in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // baseline 1: the same canonical COPY TO STDOUT of every table, discarded (no file, no compression)
  const c0 = performance.now();
  const copied = await database.jobs.transaction(
    async (dtx) => {
      await bindTenant(dtx, tenant);
      const tx = rawClient(dtx);
      await canonicalSettings(tx);
      let rows = 0;
      let bytes = 0;
      for (const t of await tenantTables(tx)) {
        const s = await streamCopy(tx, canonicalCopy(t, tenant));
        rows += s.rows;
        bytes += s.bytes;
      }
      return { rows, bytes };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const copyS = (performance.now() - c0) / 1000;

  const file = join(dir, `${code}.qmb`);
  const b0 = performance.now();
  const backup = await backupTenant(database, code, file);
  const backupS = (performance.now() - b0) / 1000;
  const r0 = performance.now();
  const restored = await restoreAsNewTenant(database, file, { code: `${code}-r` });
  const restoreS = (performance.now() - r0) / 1000;
  const rows = backup.manifest.tables.reduce((n, t) => n + t.rows, 0);
  const raw = backup.manifest.tables.reduce((n, t) => n + t.bytes, 0);
  const restoredRows = Object.values(restored.rows).reduce((n, r) => n + r, 0);
  if (restoredRows !== rows || copied.rows !== rows)
    throw new Error(`row counts differ: copy ${copied.rows}, backup ${rows}, restore ${restoredRows}`);

  const line = (name: string, s: number, n: number, bytes: number) =>
    console.log(
      `  ${name.padEnd(34)} ${s.toFixed(2).padStart(7)} s  ${mb(bytes / s)
        .toFixed(1)
        .padStart(7)} MB/s  ${fmt(n / s).padStart(10)} rows/s`,
    );
  console.log(
    `tenant: ${fmt(rows)} rows in ${backup.manifest.tables.length} tables, ${mb(raw).toFixed(1)} MB as COPY text`,
  );
  line('raw COPY TO (baseline)', copyS, copied.rows, copied.bytes);
  line('quadmeter backup (zstd file)', backupS, rows, raw);
  line('quadmeter restore (new tenant)', restoreS, restoredRows, raw);
  console.log(
    `  backup file ${mb(backup.bytes).toFixed(1)} MB (${((backup.bytes / raw) * 100).toFixed(1)}% of the COPY text)`,
  );
  console.log(
    `  backup / raw COPY: ${(backupS / copyS).toFixed(2)}×   restore / raw COPY: ${(restoreS / copyS).toFixed(2)}×`,
  );

  // baseline 2: pg_dump -Fc of the same database (only this tenant's rows in it), when it can dump it
  const server = Number((await database.sql`show server_version_num`)[0].server_version_num) / 10000;
  if (bench.url && existsSync(PG_DUMP) && Math.floor(server) === 15) {
    const out = join(dir, 'dump.pgc');
    const d0 = performance.now();
    const r = spawnSync(PG_DUMP, ['--data-only', '-Fc', '-n', 'public', '-f', out, bench.url], {
      encoding: 'utf8',
    });
    const dumpS = (performance.now() - d0) / 1000;
    if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
    const size = (await stat(out)).size;
    line('pg_dump -Fc --data-only (baseline)', dumpS, rows, raw);
    console.log(
      `  pg_dump file ${mb(size).toFixed(1)} MB (gzip); backup / pg_dump: ${(backupS / dumpS).toFixed(2)}×   restore / pg_dump: ${(restoreS / dumpS).toFixed(2)}×`,
    );
  } else {
    console.log(
      `  pg_dump: skipped (server ${Math.floor(server)}${bench.url ? '' : ', embedded'}; the system pg_dump is 15) — raw COPY is the baseline`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
  await bench.stop();
}

// Test helpers of the reading engine: an engine with the test transport over a simulated field,
// in this process or in a child process (engine-child.ts), and tenants with DL/T 645 meters.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Database, type Db, openDatabase } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { installedPlugins } from '../../installed-plugins.ts';
import { type Jobs, startJobs } from '../../jobs/jobs.ts';
import { createLogger } from '../../logger.ts';
import { type PluginHost, startPlugins } from '../../plugin-host.ts';
import { createSecretBox } from '../../secrets/secret-box.ts';
import { addMeters } from '../readings/ingest-fixtures.ts';
import { type Engine, startEngine } from './engine.ts';
import type { EngineOptions } from './runner.ts';
import { createTask, type TaskInput } from './service.ts';
import { Field, testTransport } from './test-transport.ts';

export const LINE_A = 'tcp://10.0.0.1:4001';
export const LINE_B = 'tcp://10.0.0.2:4001';

/** Meter i's 12-digit DL/T 645 address on a line (lines share addresses, as factory defaults do). */
export const dltAddress = (i: number) => `1000000000${String(i).padStart(2, '0')}`;

/** Meter i's energy: 100·(i + 1) kWh when its simulated clock started, three days ago. */
export const energyOf = (i: number) => 100 * (i + 1);

export interface TestEngine {
  engine: Engine;
  host: PluginHost;
  database: Database;
  jobs: Jobs;
  field: Field;
  stop(): Promise<void>;
}

/** `perLine` meters on each of `lines`, in the field and (when `t` is given) in the tenant. */
export async function addLineMeters(
  db: Db,
  t: { tenantId: string; areaId: string },
  lines: string[],
  perLine: number,
) {
  const specs = lines.flatMap((line) =>
    Array.from({ length: perLine }, (_, i) => ({
      kind: 'meter-power',
      protocol: 'dlt645-2007',
      comm: dltAddress(i),
      via: 'serial' as const,
      line,
      digits: 6,
    })),
  );
  return await addMeters(db, t, specs);
}

/** Fills the field with the meters `addLineMeters` describes. */
export function fieldFor(lines: string[], perLine: number, now = Date.now()): Field {
  const field = new Field();
  for (const line of lines)
    for (let i = 0; i < perLine; i++) field.add(line, dltAddress(i), energyOf(i), now);
  return field;
}

export async function startTestEngine(
  url: string,
  field: Field,
  options: Partial<EngineOptions> = {},
  extra: { concurrency?: number; cron?: boolean; configFor?: (id: string) => unknown } = {},
): Promise<TestEngine> {
  const logger = createLogger((process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent');
  const database = openDatabase(url);
  const jobs = await startJobs(url, logger);
  const host = await startPlugins({
    logger,
    db: database.plugins,
    ingestDb: database.jobs,
    jobs,
    secrets: createSecretBox(randomBytes(32)),
    plugins: [...installedPlugins, testTransport(field)],
    configFor: extra.configFor,
  });

  const engine = await startEngine({
    db: database.jobs,
    jobs,
    registry: host.registry,
    logger,
    timeZone: 'Asia/Shanghai',
    options: { backoffMs: 10, leaseMs: 3_000, ...options },
    cron: extra.cron ?? false,
    concurrency: extra.concurrency,
  });
  return {
    engine,
    database,
    jobs,
    field,
    host,
    async stop() {
      await engine.stop();
      await jobs.stop();
      await host.stop();
      await database.close();
    },
  };
}

/** Creates a task as the system (no actor scope) and answers its id. */
export async function startTask(e: TestEngine, tenantId: string, input: TaskInput): Promise<string> {
  const id = await withTenant(e.database.db, tenantId, (tx) =>
    createTask(tx, null, tenantId, input, { jobs: e.jobs, zone: e.engine.zone }),
  );
  if (!id) throw new Error('task not created');
  return id;
}

/** Waits until the task is done (or failed), polling. */
export async function settled(db: Db, tenantId: string, taskId: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [t] = (await withTenant(db, tenantId, (tx) =>
      tx.execute(sql`select status from reading_tasks where id = ${taskId}`),
    )) as unknown as { status: string }[];
    if (t?.status === 'done' || t?.status === 'failed') return t.status;
    if (Date.now() > until) throw new Error(`task ${taskId} still ${t?.status}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** The task's per-meter outcomes, by meter id. */
export async function outcomesOf(db: Db, tenantId: string, taskId: string) {
  const rows = (await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`select meter_id::text as "meterId", outcome, detail, attempts, reading_kind as "readingKind",
      (extract(epoch from reading_ts) * 1000)::float8 as "readingMs" from reading_task_meters where task_id = ${taskId}`),
  )) as unknown as {
    meterId: string;
    outcome: string | null;
    detail: string | null;
    attempts: number;
    readingKind: number | null;
    readingMs: number | null;
  }[];
  return new Map(rows.map((r) => [r.meterId, r]));
}

/** Stored readings of the tenant per meter and kind. */
export async function readingCounts(db: Db, tenantId: string) {
  const rows = (await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`select meter_id::text as "meterId", kind, count(*)::int as n from readings group by 1, 2`),
  )) as unknown as { meterId: string; kind: number; n: number }[];
  return rows;
}

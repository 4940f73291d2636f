// Test helpers of the command outbox: a dispatcher with the installed transports (in this process
// or in a child process, test/commands-child.ts), and waiting for commands to end.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Database, type Db, openDatabase } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { installedPlugins } from '../../installed-plugins.ts';
import { type Jobs, startJobs } from '../../jobs/jobs.ts';
import { createLogger } from '../../logger.ts';
import { type PluginHost, startPlugins } from '../../plugin-host.ts';
import { createSecretBox } from '../../secrets/secret-box.ts';
import { meterKinds } from '../archives/meter-kinds.ts';
import { partitionKeeper } from '../readings/partitions.ts';
import { zone } from '../readings/zone.ts';
import { type Dispatcher, startDispatcher } from './dispatcher.ts';
import type { DispatchOptions } from './options.ts';

export interface TestDispatcher {
  dispatcher: Dispatcher;
  host: PluginHost;
  database: Database;
  jobs: Jobs;
  stop(): Promise<void>;
}

export async function startTestDispatcher(
  url: string,
  o: { configFor?: (id: string) => unknown; options?: Partial<DispatchOptions> } = {},
): Promise<TestDispatcher> {
  const logger = createLogger((process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent');
  const database = openDatabase(url);
  const jobs = await startJobs(url, logger);
  const host = await startPlugins({
    logger,
    db: database.plugins,
    ingestDb: database.jobs,
    jobs,
    secrets: createSecretBox(randomBytes(32)),
    plugins: installedPlugins,
    configFor: o.configFor,
  });
  const dispatcher = await startDispatcher({
    db: database.jobs,
    jobs,
    registry: host.registry,
    ingest: {
      db: database.jobs,
      kinds: meterKinds(host.registry),
      zone: zone('Asia/Shanghai'),
      partitions: partitionKeeper(database.jobs),
    },
    logger,
    timeZone: 'Asia/Shanghai',
    options: { backoffMs: 20, leaseMs: 2_000, ...o.options },
    cron: false,
  });
  return {
    dispatcher,
    host,
    database,
    jobs,
    async stop() {
      await dispatcher.stop();
      await jobs.stop();
      await host.stop();
      await database.close();
    },
  };
}

export interface CommandState {
  id: string;
  status: string;
  verified: boolean | null;
  attempts: number;
  errorCode: string | null;
  detail: string | null;
  state: Record<string, unknown> | null;
}

export async function commandState(db: Db, tenantId: string, id: string): Promise<CommandState> {
  const [row] = (await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`select id::text as id, status, verified, attempts, error_code as "errorCode", detail, state
      from meter_commands where id = ${id}`),
  )) as unknown as CommandState[];
  return row;
}

const FINAL = new Set(['confirmed', 'failed', 'expired', 'cancelled']);

/** Waits (driving the pump itself) until the command has ended; answers its row. */
export async function settledCommand(
  d: TestDispatcher,
  tenantId: string,
  id: string,
  timeoutMs = 30_000,
): Promise<CommandState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await d.dispatcher.pump(tenantId);
    const row = await commandState(d.database.db, tenantId, id);
    if (FINAL.has(row.status)) return row;
    if (Date.now() > until) throw new Error(`command ${id} still ${row.status}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

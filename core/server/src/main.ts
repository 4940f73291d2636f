import { type ServerType, serve } from '@hono/node-server';
import { type AnyPlugin, AppError } from '@quadmeter/sdk';
import { type Config, loadConfig } from './config.ts';
import { openDatabase, runMigrations } from './db/client.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded.ts';
import { prepareDataDir } from './db/embedded-files.ts';
import { waitForDatabase } from './db/wait.ts';
import { demoMode, type SeedResult, seedOnStart } from './demo.ts';
import { createApp } from './http/app.ts';
import { healthApp } from './http/health-app.ts';
import { startJobs } from './jobs/jobs.ts';
import { createLogger, type Logger } from './logger.ts';
import type { Platform } from './platform.ts';
import { pluginConfigSource } from './plugin-config.ts';
import { startPlugins } from './plugin-host.ts';
import { loadExternalPlugins } from './plugins-external/load.ts';
import { pluginSources } from './plugins-external/sources.ts';
import { roleParts } from './roles.ts';
import { createSecretBox } from './secrets/secret-box.ts';
import { loadSecretKey } from './secrets/secret-key.ts';
import { startStatsRefresh } from './services/analysis/stats/job.ts';
import { startVee } from './services/analysis/vee/jobs.ts';
import { startLateFees } from './services/billing/bills/late-fee-jobs.ts';
import { startBillRunWorker } from './services/billing/runs/index.ts';
import { startDispatcher } from './services/commands/dispatcher.ts';
import type { DispatchOptions } from './services/commands/options.ts';
import { startImportWorkers } from './services/imports/worker.ts';
import { startNotifySender } from './services/notify/sender.ts';
import { startDeductionWorker } from './services/prepaid/deduction/index.ts';
import { prepaidNotify } from './services/prepaid/notices.ts';
import { startPrepaidWorker } from './services/prepaid/worker.ts';
import { startReadingEngine } from './services/reading-tasks/engine.ts';
import type { EngineOptions } from './services/reading-tasks/runner.ts';
import { startReadingMaintenance } from './services/readings/maintenance.ts';
import { startReportExports } from './services/reports/exports.ts';
import { startReportSchedules } from './services/reports/schedule-tick.ts';

export interface RunningPlatform {
  platform: Platform;
  url: string;
  port: number;
  /** logins created by this start (printed once; absent when everything already existed) */
  seeded: SeedResult;
  stop(): Promise<void>;
}

export interface StartOptions {
  config?: Config;
  logger?: Logger;
  /** false: never create the demo tenant (default: per QUADMETER_DEMO, only into an empty platform) */
  demo?: boolean;
  /** plugins to run instead of the installed list (tests, embedding) */
  plugins?: readonly AnyPlugin[];
  /** where quadmeter.config.json and relative plugin paths are looked up (default: process.cwd()) */
  cwd?: string;
  /** reading engine tuning (tests: short backoff and leases) */
  engine?: Partial<EngineOptions>;
  /** command outbox tuning (tests: short backoff and leases) */
  commands?: Partial<DispatchOptions>;
}

/** env → database (embedded unless DATABASE_URL) → migrate → jobs → plugins → HTTP. */
export async function startPlatform(options: StartOptions = {}): Promise<RunningPlatform> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const stack: { name: string; stop: () => Promise<unknown> }[] = [];
  const stopAll = async () => {
    for (const step of stack.splice(0).reverse()) {
      try {
        await step.stop();
      } catch (err) {
        logger.error({ err, step: step.name }, 'error during shutdown');
      }
    }
  };
  try {
    await prepareDataDir(config.QUADMETER_DATA_DIR);
    const configFor = pluginConfigSource(config);
    const external = await loadExternalPlugins(pluginSources(config, options.cwd ?? process.cwd()));
    const secrets = createSecretBox(await loadSecretKey(config));
    let embedded: EmbeddedDatabase | undefined;
    if (!config.DATABASE_URL) {
      embedded = await startEmbeddedPostgres(config.QUADMETER_DATA_DIR, logger);
      stack.push({ name: 'embedded postgres', stop: () => embedded!.stop() });
    }
    const url = config.DATABASE_URL ?? embedded!.url;
    await waitForDatabase(url, logger, config.QUADMETER_DB_WAIT_SECONDS);
    await runMigrations(url);
    const database = openDatabase(url, {
      http: config.QUADMETER_POOL_HTTP,
      jobs: config.QUADMETER_POOL_JOBS,
      plugins: config.QUADMETER_POOL_PLUGINS,
    });
    stack.push({ name: 'database pool', stop: () => database.close() });
    const jobs = await startJobs(url, logger, config.QUADMETER_POOL_JOBS);
    const jobsStep = { name: 'jobs', stop: () => jobs.stop() };
    stack.push(jobsStep);
    const plugins = await startPlugins({
      logger,
      db: database.plugins,
      ingestDb: database.jobs,
      jobs,
      secrets,
      plugins: options.plugins,
      timezone: config.QUADMETER_TIMEZONE,
      configFor,
      external,
      hookTimeoutMs: config.QUADMETER_HOOK_TIMEOUT_MS,
      // an api node enqueues and never works jobs, plugin jobs included
      workQueues: config.QUADMETER_ROLE !== 'api',
    });
    // shutdown runs HTTP → jobs → plugins → pool: workers finish before the plugins they call stop
    stack.splice(stack.indexOf(jobsStep), 1);
    stack.push({ name: 'plugins', stop: () => plugins.stop() }, jobsStep);
    const platform: Platform = {
      config,
      logger,
      database,
      db: database.db,
      jobs,
      registry: plugins.registry,
      pluginMounts: plugins.mounts,
      pluginHost: plugins,
      secrets,
    };
    const role = roleParts(config.QUADMETER_ROLE);
    if (role.worker) await startWorkers(platform);
    // workers tick the schedules; gateways read the lines (under a lease) and drain the outbox
    const engine =
      role.worker || role.gateway
        ? await startReadingEngine(platform, options.engine, { cron: role.worker, read: role.gateway })
        : undefined;
    if (engine) stack.push({ name: 'reading engine', stop: () => engine.stop() });
    if (role.gateway && engine) {
      const dispatcher = await startDispatcher({
        db: database.jobs,
        jobs,
        registry: plugins.registry,
        ingest: engine.ingest,
        logger,
        timeZone: config.QUADMETER_TIMEZONE,
        options: options.commands,
        leases: engine.leases,
      });
      stack.push({ name: 'command outbox', stop: () => dispatcher.stop() });
    }
    if (role.worker) stack.push(...(await startWorkerSenders(platform)));
    const seeded = role.api
      ? await seedOnStart(database.db, config, options.demo === false ? 'off' : demoMode(config))
      : {};
    const app = role.api ? createApp(platform) : healthApp(platform);
    const server = await new Promise<ServerType>((resolveServer, reject) => {
      const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolveServer(s));
      s.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new AppError(
            'CONFIG_INVALID',
            `cannot listen on ${config.HOST}:${config.PORT} (${e.code ?? e.message}); set PORT or HOST`,
          ),
        ),
      );
    });
    stack.push({
      name: 'http',
      stop: () =>
        new Promise<void>((ok) => {
          server.close(() => ok());
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
    return { platform, url: `http://${host}:${port}`, port, seeded, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The job workers of a worker node that need no stop of their own (pg-boss stops them). */
async function startWorkers(platform: Platform): Promise<void> {
  const { database, jobs, logger } = platform;
  await startImportWorkers(platform);
  await startReadingMaintenance(platform);
  await startLateFees(platform);
  await startStatsRefresh(platform);
  await startVee(platform);
  await startReportExports({ db: database.jobs, jobs, logger, timeZone: platform.config.QUADMETER_TIMEZONE });
  await startReportSchedules({
    db: database.jobs,
    jobs,
    logger,
    timeZone: platform.config.QUADMETER_TIMEZONE,
    baseUrl: platform.config.QUADMETER_PUBLIC_URL ?? 'http://localhost',
  });
  await startBillRunWorker({ db: database.jobs, jobs, logger }, { resume: true });
}

/** The notify outbox, prepaid state and daily deduction of a worker node, each with its stop. */
async function startWorkerSenders(
  platform: Platform,
): Promise<{ name: string; stop: () => Promise<unknown> }[]> {
  const { database, jobs, logger, registry, config } = platform;
  const timeZone = config.QUADMETER_TIMEZONE;
  const notifier = await startNotifySender({ db: database.jobs, jobs, registry, logger, timeZone });
  // prepaid: balance changes and deadlines drive each account's state; notices go to prepaidNotify
  const prepaid = await startPrepaidWorker({ database, jobs, logger, timeZone, notify: prepaidNotify });
  // prepaid deduction: the daily run per tenant (resumed after a crash) and per-reading passes
  const deduction = await startDeductionWorker(
    { db: database.jobs, jobs, logger },
    { resume: true, timeZone },
  );
  return [
    { name: 'notify outbox', stop: () => notifier.stop() },
    { name: 'prepaid', stop: () => prepaid.stop() },
    { name: 'prepaid deduction', stop: () => deduction.stop() },
  ];
}

import { existsSync } from 'node:fs';
import { AppError, isAppError } from '@quadmeter/sdk';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { type Config, loadConfig } from '../config.ts';
import { type Database, openDatabase, runMigrations } from '../db/client.ts';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { roles } from '../db/schema/index.ts';
import { withTenant } from '../db/tenant.ts';
import { waitForDatabase } from '../db/wait.ts';
import { credentialsFile, type SeedResult, seedOnStart } from '../demo.ts';
import { createLogger } from '../logger.ts';
import { importOptional } from '../optional-import.ts';
import type { Actor } from '../services/identity/actor.ts';
import { permissionKeys } from '../services/identity/permissions.ts';
import { createUser } from '../services/identity/users.ts';
import { createTenant, findTenantByCode } from '../services/tenants/tenants.ts';
import { parseCommand, text, usage } from './args.ts';

/**
 * Opens the configured database, migrated, for one command. Embedded: uses the running server's
 * cluster when there is one, else starts (and afterwards stops) it. Logs go to stderr.
 */
export async function withDatabase<T>(fn: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(
    config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
    pino.destination({ fd: 2, sync: true }),
  );
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(config.QUADMETER_DATA_DIR, logger);
  const url = config.DATABASE_URL ?? embedded!.url;
  try {
    await waitForDatabase(url, logger, config.QUADMETER_DB_WAIT_SECONDS);
    await runMigrations(url);
    const database = openDatabase(url);
    try {
      return await fn(database, config);
    } finally {
      await database.close();
    }
  } finally {
    await embedded?.stop();
  }
}

/** Prints the logins created just now; nothing about logins that already existed. */
function printStart(seeded: SeedResult, dataDir: string, url?: string) {
  const lines = [''];
  if (url) lines.push(`  Quadmeter is running at ${url}`);
  const { demo, operator } = seeded;
  if (demo)
    lines.push(`  Demo login:      tenant "demo", user "${demo.username}", password "${demo.password}"`);
  if (operator)
    lines.push(
      `  Platform login:  tenant "platform", user "${operator.username}", password "${operator.password}"`,
    );
  if (demo || operator) lines.push(`  (saved in ${credentialsFile(dataDir)})`);
  else if (url && existsSync(credentialsFile(dataDir)))
    lines.push(`  Logins created on the first start are in ${credentialsFile(dataDir)}`);
  if (url) lines.push(`  API docs:        ${url}/api/docs`);
  lines.push('');
  console.log(lines.join('\n'));
}

const systemActor = (tenantId: string): Actor => ({
  kind: 'user',
  id: '00000000-0000-0000-0000-000000000000',
  name: 'cli',
  displayName: 'CLI',
  locale: 'en',
  tenantId,
  permissions: permissionKeys,
  areaScope: null,
});

const ROLES = ['all', 'api', 'worker', 'gateway'] as const;
type Role = (typeof ROLES)[number];

function noArguments(command: string, args: string[]) {
  const { positionals } = parseCommand(command, args);
  if (positionals.length > 0) throw usage(`quadmeter ${command} (takes no arguments)`);
}

export const commands = {
  async start(args: string[]): Promise<number> {
    const p = parseCommand('start', args, { role: { type: 'string' } });
    if (p.positionals.length > 0) throw usage('quadmeter start [--role api|worker|gateway|all]');
    const role = text(p, 'role');
    if (role !== undefined && !ROLES.includes(role as Role))
      throw usage('quadmeter start [--role api|worker|gateway|all]');
    const { startPlatform } = await import('../main.ts');
    let config = role ? { ...loadConfig(), QUADMETER_ROLE: role as Role } : loadConfig();
    const logger = createLogger(config.LOG_LEVEL);
    const { startDemoField } = await import('../demo-field.ts');
    // the demo field (simulators on this machine) belongs to a node that reads: all or gateway
    const reads = config.QUADMETER_ROLE === 'all' || config.QUADMETER_ROLE === 'gateway';
    const field =
      reads && config.QUADMETER_SIMULATORS === 'on' ? await startDemoField(config, logger) : undefined;
    if (field) config = field.config;
    let running: Awaited<ReturnType<typeof startPlatform>>;
    try {
      running = await startPlatform({ config, logger });
    } catch (e) {
      await field?.stop();
      throw e;
    }
    printStart(running.seeded, config.QUADMETER_DATA_DIR, running.url);
    field?.attach(running).then(
      (id) => id && console.log(`  Demo read:       the whole estate, real-time (task ${id}; admin → 抄表)`),
      (err) => logger.warn({ err }, 'the demo field did not start in full'),
    );
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await field?.stop();
      await running.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    await new Promise(() => {});
    return 0;
  },

  async migrate(args: string[]): Promise<number> {
    noArguments('migrate', args);
    await withDatabase(async () => {});
    console.log('migrations applied');
    return 0;
  },

  /** Creates the demo tenant if it is missing (asking for it explicitly, unless QUADMETER_DEMO=off). */
  async 'seed-demo'(args: string[]): Promise<number> {
    noArguments('seed-demo', args);
    const seeded = await withDatabase((db, config) =>
      seedOnStart(db.db, config, config.QUADMETER_DEMO === 'off' ? 'off' : 'on'),
    );
    const config = loadConfig();
    if (seeded.demo || seeded.operator) {
      console.log(seeded.demo ? '  Demo tenant created' : '  The demo tenant was not created');
      printStart(seeded, config.QUADMETER_DATA_DIR);
    } else {
      console.log(
        config.QUADMETER_DEMO === 'off'
          ? 'QUADMETER_DEMO=off: the demo tenant was not created'
          : 'the demo tenant exists already; nothing changed',
      );
    }
    return 0;
  },

  async tenant(args: string[]): Promise<number> {
    const p = parseCommand('tenant create', args, {
      admin: { type: 'string' },
      password: { type: 'string' },
    });
    const [verb, code, ...name] = p.positionals;
    if (verb !== 'create' || !code || name.length === 0) {
      throw usage('quadmeter tenant create <code> <name> [--admin <user>] [--password <pw>]');
    }
    const admin = text(p, 'admin') ?? 'admin';
    const password = text(p, 'password') ?? crypto.randomUUID().slice(0, 12);
    const tenant = await withDatabase((db) =>
      createTenant(db.db, { code, name: name.join(' '), adminUsername: admin, adminPassword: password }),
    );
    console.log(JSON.stringify({ id: tenant.id, code: tenant.code, admin, password }));
    return 0;
  },

  async user(args: string[]): Promise<number> {
    const p = parseCommand('user create', args, {
      tenant: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
    });
    const [tenantCode, username, password] = [text(p, 'tenant'), text(p, 'username'), text(p, 'password')];
    if (p.positionals[0] !== 'create' || p.positionals.length > 1 || !tenantCode || !username || !password) {
      throw usage(
        'quadmeter user create --tenant <code> --username <u> --password <p> [--role <name>] [--name <display>]',
      );
    }
    const role = text(p, 'role');
    const user = await withDatabase(async (db) => {
      const tenant = await findTenantByCode(db.db, tenantCode);
      if (!tenant) throw new AppError('TENANT_NOT_FOUND', `no tenant "${tenantCode}"`);
      return await withTenant(db.db, tenant.id, async (tx) => {
        const roleIds = role
          ? (await tx.select({ id: roles.id }).from(roles).where(eq(roles.name, role))).map((r) => r.id)
          : [];
        if (role && roleIds.length === 0)
          throw new AppError('ROLE_NOT_FOUND', `no role "${role}" in tenant "${tenantCode}"`);
        return await createUser(tx, systemActor(tenant.id), tenant.id, {
          username,
          displayName: text(p, 'name') ?? username,
          password,
          roleIds,
          areaIds: [],
        });
      });
    });
    console.log(JSON.stringify({ id: user.id, username: user.username }));
    return 0;
  },

  async sim(args: string[]): Promise<number> {
    const { simCommand } = await importOptional<typeof import('@quadmeter/simulators/cli.ts')>(
      '@quadmeter/simulators/cli.ts',
      'quadmeter sim',
    );
    return await simCommand(args);
  },
};

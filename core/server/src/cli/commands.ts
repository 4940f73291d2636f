import { eq } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import { openDatabase, runMigrations } from '../db/client.ts';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { roles } from '../db/schema/index.ts';
import { withTenant } from '../db/tenant.ts';
import { seedDemo } from '../demo.ts';
import { createLogger } from '../logger.ts';
import type { Actor } from '../services/identity/actor.ts';
import { permissionKeys } from '../services/identity/permissions.ts';
import { createUser } from '../services/identity/users.ts';
import { createTenant, findTenantByCode } from '../services/tenants/tenants.ts';
import { parseFlags } from './flags.ts';

/** Opens the configured database (embedded when DATABASE_URL is unset), migrated, for one command. */
async function withDatabase<T>(
  fn: (db: ReturnType<typeof openDatabase>, config: ReturnType<typeof loadConfig>) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(config.QUADMETER_DATA_DIR, logger);
  const url = config.DATABASE_URL ?? embedded!.url;
  try {
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

function printDemo(
  creds: {
    tenant: string;
    username: string;
    password: string;
    operator: { username: string; password: string };
  },
  url?: string,
) {
  const lines = [
    '',
    url ? `  Quadmeter is running at ${url}` : '  Demo tenant ready',
    `  Demo login:      tenant "${creds.tenant}", user "${creds.username}", password "${creds.password}"`,
    `  Platform login:  tenant "platform", user "${creds.operator.username}", password "${creds.operator.password}"`,
    ...(url ? [`  API docs:        ${url}/api/docs`] : []),
    '',
  ];
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

export const commands = {
  async start(): Promise<number> {
    const { startPlatform } = await import('../main.ts');
    const running = await startPlatform();
    if (running.demo) printDemo(running.demo, running.url);
    const { startDemoSimulators } = await import('../demo-simulators.ts');
    const sims =
      running.platform.config.QUADMETER_SIMULATORS === 'on'
        ? await startDemoSimulators(running.platform.logger)
        : undefined;
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      running.platform.logger.info({ signal }, 'shutting down');
      await sims?.stop();
      await running.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    await new Promise(() => {});
    return 0;
  },

  async migrate(): Promise<number> {
    await withDatabase(async () => {});
    console.log('migrations applied');
    return 0;
  },

  async 'seed-demo'(): Promise<number> {
    const creds = await withDatabase((db, config) => seedDemo(db.db, config));
    printDemo(creds);
    return 0;
  },

  async tenant(args: string[]): Promise<number> {
    const [verb, code, ...name] = args;
    const { flags } = parseFlags(args.slice(3));
    if (verb !== 'create' || !code || name.length === 0) {
      console.error('usage: quadmeter tenant create <code> <name> [--admin <user>] [--password <pw>]');
      return 2;
    }
    const admin = String(flags.admin ?? 'admin');
    const password = String(flags.password ?? crypto.randomUUID().slice(0, 12));
    const tenant = await withDatabase((db) =>
      createTenant(db.db, {
        code,
        name: name.filter((n) => !n.startsWith('--')).join(' '),
        adminUsername: admin,
        adminPassword: password,
      }),
    );
    console.log(JSON.stringify({ id: tenant.id, code: tenant.code, admin, password }));
    return 0;
  },

  async user(args: string[]): Promise<number> {
    const [verb, ...rest] = args;
    const { flags } = parseFlags(rest);
    if (verb !== 'create' || !flags.tenant || !flags.username || !flags.password) {
      console.error(
        'usage: quadmeter user create --tenant <code> --username <u> --password <p> [--role <name>] [--name <display>]',
      );
      return 2;
    }
    const user = await withDatabase(async (db) => {
      const tenant = await findTenantByCode(db.db, String(flags.tenant));
      if (!tenant) throw new Error(`no tenant ${flags.tenant}`);
      return await withTenant(db.db, tenant.id, async (tx) => {
        const roleIds = flags.role
          ? (
              await tx
                .select()
                .from(roles)
                .where(eq(roles.name, String(flags.role)))
            ).map((r) => r.id)
          : [];
        if (flags.role && roleIds.length === 0) throw new Error(`no role ${flags.role}`);
        return await createUser(tx, systemActor(tenant.id), tenant.id, {
          username: String(flags.username),
          displayName: String(flags.name ?? flags.username),
          password: String(flags.password),
          roleIds,
          areaIds: [],
        });
      });
    });
    console.log(JSON.stringify({ id: user.id, username: user.username }));
    return 0;
  },

  async sim(args: string[]): Promise<number> {
    const { simCommand } = await import('@quadmeter/simulators/cli.ts');
    return await simCommand(args);
  },
};

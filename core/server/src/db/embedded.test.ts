import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startPlatform } from '../main.ts';
import { runMigrations } from './client.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { isAlive, readPostmasterPid, readSecrets, secretsFile } from './embedded-files.ts';

const bin = fileURLToPath(new URL('../../bin/quadmeter.mjs', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(mode = 0o755): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'qm-emb-'));
  await chmod(dir, mode);
  dirs.push(dir);
  return dir;
}

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
  return { logger, lines, messages: () => lines.map((l) => JSON.parse(l).msg as string) };
}

async function query<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Runs the CLI as its own process (the embedded database, whatever the test run uses). */
function cliAsync(
  args: string[],
  dataDir: string,
): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, QUADMETER_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => done({ code, out, err }));
  });
}

describe('embedded PostgreSQL', () => {
  it('runs the platform as a non-superuser with a random password, shared with the CLI', async () => {
    const dir = await tempDir(0o777);
    const config = loadConfig({ QUADMETER_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const running = await startPlatform({ config, logger: createLogger('silent') });
    try {
      expect((await stat(dir)).mode & 0o777).toBe(0o777); // an existing folder keeps its mode
      expect((await stat(secretsFile(dir))).mode & 0o777).toBe(0o600);
      const secrets = await readSecrets(dir);
      expect(secrets?.superuserPassword).not.toBe('quadmeter');
      const [me] = await running.platform.database.sql`
        select current_user as name, rolsuper, rolcreaterole from pg_roles where rolname = current_user`;
      expect(me).toEqual({ name: 'quadmeter_owner', rolsuper: false, rolcreaterole: false });
      expect(running.platform.database.url).not.toContain(':quadmeter@');
      expect(running.seeded.demo?.username).toBe('admin');
      // the CLI while the server runs: uses the same cluster instead of dying on its lock
      const cli = await cliAsync(['migrate'], dir);
      expect(cli.code, cli.err).toBe(0);
      expect(cli.out).toContain('migrations applied');
      expect(cli.err).toContain('using the embedded PostgreSQL of the running quadmeter');
      const [{ ok }] = await running.platform.database.sql`select 1 as ok`;
      expect(ok).toBe(1); // and leaves it running
    } finally {
      await running.stop();
    }
    const again = await startPlatform({ config, logger: createLogger('silent') });
    try {
      expect(again.seeded).toEqual({}); // a second start creates and prints nothing
    } finally {
      await again.stop();
    }
  });

  it('adopts the PostgreSQL left running after the Node process was killed', async () => {
    const dir = await tempDir();
    const script = `
      const { startEmbeddedPostgres } = await import(${JSON.stringify(new URL('./embedded.ts', import.meta.url).href)});
      const { createLogger } = await import(${JSON.stringify(new URL('../logger.ts', import.meta.url).href)});
      await startEmbeddedPostgres(${JSON.stringify(dir)}, createLogger('silent'));
      console.log('READY');
      setInterval(() => {}, 1000);`;
    const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((ready, fail) => {
      child.stdout?.on('data', (d) => String(d).includes('READY') && ready());
      child.on('exit', (code) => fail(new Error(`child exited ${code}`)));
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const leftover = await readPostmasterPid(join(dir, 'pg'));
    expect(leftover && isAlive(leftover.pid)).toBe(true);

    const log = capture();
    const db = await startEmbeddedPostgres(dir, log.logger);
    try {
      expect(db.mode).toBe('adopted');
      expect(log.messages().filter((m) => m.includes('adopted'))).toEqual([
        `adopted the embedded PostgreSQL (pid ${leftover!.pid}, port ${leftover!.port}) left running by a previous start`,
      ]);
      expect(await query(db.url, async (sql) => (await sql`select 2 as n`)[0].n)).toBe(2);
    } finally {
      await db.stop();
    }
    expect(isAlive(leftover!.pid)).toBe(false); // adopted means ours to stop
  });

  it('keeps a data folder made with the old fixed password working, and replaces that password', async () => {
    const dir = await tempDir();
    const first = await startEmbeddedPostgres(dir, createLogger('silent'));
    await runMigrations(first.url);
    // turn it into what the old code left: superuser password 'quadmeter', everything owned by postgres
    const inQuadmeter = new URL(first.adminUrl);
    inQuadmeter.pathname = '/quadmeter';
    await query(inQuadmeter.toString(), async (sql) => {
      await sql`reassign owned by quadmeter_owner to postgres`;
      await sql`drop owned by quadmeter_owner`;
    });
    await query(first.adminUrl, async (sql) => {
      await sql`drop role quadmeter_owner`;
      await sql`alter role postgres password 'quadmeter'`;
    });
    await first.stop();
    await unlink(secretsFile(dir));

    const db = await startEmbeddedPostgres(dir, createLogger('silent'));
    try {
      expect(db.mode).toBe('started');
      expect((await stat(secretsFile(dir))).mode & 0o777).toBe(0o600);
      await runMigrations(db.url);
      const owners = await query(db.url, async (sql) => {
        await sql`insert into tenants (code, name) values ('t1', 'T1')`;
        return await sql`select tableowner, count(*)::int as n from pg_tables where schemaname = 'public'
          group by 1`;
      });
      expect(owners).toEqual([{ tableowner: 'quadmeter_owner', n: expect.any(Number) }]);
      const old = db.adminUrl.replace(/:[^:@]+@/, ':quadmeter@');
      await expect(query(old, (sql) => sql`select 1`)).rejects.toMatchObject({ code: '28P01' });
    } finally {
      await db.stop();
    }
  });

  it('says so plainly when postmaster.pid names a live process that is not our PostgreSQL', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'pg'));
    await writeFile(join(dir, 'pg', 'PG_VERSION'), '18\n');
    await writeFile(join(dir, 'pg', 'postmaster.pid'), `${process.pid}\n${dir}/pg\n0\n54321\n`);
    await expect(startEmbeddedPostgres(dir, createLogger('silent'))).rejects.toMatchObject({
      code: 'DB_CLUSTER_IN_USE',
      message: expect.stringContaining(`names pid ${process.pid}`),
    });
    // and touches nothing: the lock file is still there
    expect((await readFile(join(dir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]).toBe(
      String(process.pid),
    );
  });

  it('creates a missing data folder with mode 755', async () => {
    const parent = await tempDir();
    const { prepareDataDir } = await import('./embedded-files.ts');
    await prepareDataDir(join(parent, 'new'));
    expect((await stat(join(parent, 'new'))).mode & 0o777).toBe(0o755);
  });
});

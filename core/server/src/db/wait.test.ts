import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { waitForDatabase } from './wait.ts';

const bin = fileURLToPath(new URL('../../bin/quadmeter.mjs', import.meta.url));
let dataDir: string;
let closedPort: number;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'qm-wait-'));
  closedPort = await new Promise<number>((done) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => done(port));
    });
  });
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

describe('a database that is not there', () => {
  it('quadmeter start retries, then fails with one line DB_UNAVAILABLE naming host:port', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, [bin, 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: `postgres://quadmeter@127.0.0.1:${closedPort}/quadmeter`,
        QUADMETER_DB_WAIT_SECONDS: '2',
        QUADMETER_DATA_DIR: dataDir,
        PORT: '0',
        LOG_LEVEL: 'warn',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^error DB_UNAVAILABLE: PostgreSQL at 127\\.0\\.0\\.1:${closedPort}/quadmeter is not reachable after \\d+ attempt\\(s\\) in 2 s \\(ECONNREFUSED\\)$`,
      ),
    );
    // it waited for the budget, logging each retry (pino JSON on stdout)
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const retries = r.stdout.split('\n').filter((l) => l.includes('retrying in'));
    expect(retries.length).toBeGreaterThanOrEqual(2);
  });

  it('waits no longer than its budget and gives up at once on a wrong login', async () => {
    const logger = createLogger('silent');
    await expect(waitForDatabase(`postgres://x@127.0.0.1:${closedPort}/db`, logger, 0)).rejects.toMatchObject(
      { code: 'DB_UNAVAILABLE', status: 503 },
    );
    const admin = new URL(inject('adminDatabaseUrl'));
    await waitForDatabase(admin.toString(), logger, 5);
    admin.pathname = '/qm_no_such_database';
    const started = Date.now();
    await expect(waitForDatabase(admin.toString(), logger, 20)).rejects.toMatchObject({
      code: 'DB_UNAVAILABLE',
      message: expect.stringContaining('3D000'),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

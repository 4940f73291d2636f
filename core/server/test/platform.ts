import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningPlatform, type StartOptions, startPlatform } from '../src/main.ts';
import { createTestDatabase } from './db.ts';

export interface TestPlatform {
  baseUrl: string;
  demo: { tenant: 'demo'; username: 'admin'; password: string };
  operator: { tenant: 'platform'; username: 'operator'; password: string };
  running: RunningPlatform;
  stop(): Promise<void>;
}

/** The whole platform on a fresh database, listening on an ephemeral loopback port, demo seeded. */
export async function startTestPlatform(
  env: Record<string, string> = {},
  options: Pick<StartOptions, 'plugins' | 'logger' | 'engine' | 'cwd'> = {},
): Promise<TestPlatform> {
  const db = await createTestDatabase();
  await db.database.close();
  const dataDir = await mkdtemp(join(tmpdir(), 'qm-data-'));
  await chmod(dataDir, 0o755);
  const password = `demo-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    QUADMETER_DATA_DIR: dataDir,
    QUADMETER_DEMO_PASSWORD: password,
    QUADMETER_OPERATOR_PASSWORD: `op-${password}`,
    // tests build the archive rows they need; demo-estate.test.ts seeds the estate itself
    QUADMETER_DEMO_ESTATE: 'off',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const running = await startPlatform({ config, logger: createLogger(config.LOG_LEVEL), ...options });
  return {
    baseUrl: running.url,
    demo: { tenant: 'demo', username: 'admin', password },
    operator: { tenant: 'platform', username: 'operator', password: `op-${password}` },
    running,
    async stop() {
      await running.stop();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

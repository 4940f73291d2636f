// The whole platform for a bench: a fresh data folder, the demo tenant without its estate, an
// ephemeral loopback port, on DATABASE_URL when set (else the embedded PostgreSQL).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../core/server/src/config.ts';
import { createLogger } from '../core/server/src/logger.ts';
import { type RunningPlatform, startPlatform } from '../core/server/src/main.ts';

export interface BenchPlatform {
  running: RunningPlatform;
  url: string;
  /** signs in as the demo tenant's admin */
  login(): Promise<{ cookie: string; csrfToken: string; tenantId: string }>;
  stop(): Promise<void>;
}

export async function benchPlatform(env: Record<string, string> = {}): Promise<BenchPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'qm-bench-'));
  await chmod(dataDir, 0o755);
  const password = 'bench-password';
  const config = loadConfig({
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    PORT: '0',
    HOST: '127.0.0.1',
    QUADMETER_DATA_DIR: dataDir,
    QUADMETER_DEMO_PASSWORD: password,
    QUADMETER_DEMO_ESTATE: 'off',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const running = await startPlatform({ config, logger: createLogger('silent') });
  return {
    running,
    url: running.url,
    async login() {
      const res = await fetch(`${running.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: 'demo', username: 'admin', password }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
      const body = (await res.json()) as { csrfToken: string; tenant: { id: string } };
      return { cookie, csrfToken: body.csrfToken, tenantId: body.tenant.id };
    },
    async stop() {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

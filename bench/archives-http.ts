// The bench's HTTP side: the platform served on loopback (the real routes, middleware and pools)
// and a logged-in client of it, as the admin's browser would call it.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../core/server/src/config.ts';
import { createLogger, type Logger } from '../core/server/src/logger.ts';
import { startPlatform } from '../core/server/src/main.ts';

export interface Served {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The platform on 127.0.0.1 (a free port) over `databaseUrl`, without the demo estate. */
export async function servePlatform(
  databaseUrl: string,
  env: Record<string, string> = {},
  logger: Logger = createLogger('warn'),
): Promise<Served> {
  const dataDir = await mkdtemp(join(tmpdir(), 'qm-bench-data-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    QUADMETER_DATA_DIR: dataDir,
    QUADMETER_DEMO_ESTATE: 'off',
    QUADMETER_SIMULATORS: 'off',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const running = await startPlatform({ config, logger });
  return {
    url: running.url,
    dataDir,
    async stop() {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface HttpClient {
  tenantId: string;
  /** a request's status and parsed JSON body; throws on a status ≥ 300 unless `anyStatus` */
  call(method: string, path: string, body?: unknown, raw?: { type: string; bytes: Buffer }): Promise<Json>;
}
// biome-ignore lint/suspicious/noExplicitAny: bench responses are read loosely
type Json = any;

/** Logs in (session cookie + CSRF token) and returns a client of the API. */
export async function logIn(
  url: string,
  tenant: string,
  username: string,
  password: string,
): Promise<HttpClient> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant, username, password }),
  });
  if (login.status !== 200)
    throw new Error(`login ${tenant}/${username} failed: ${login.status} ${await login.text()}`);
  const body = (await login.json()) as { csrfToken?: string; tenant: { id: string } };
  const headers = {
    cookie: (login.headers.get('set-cookie') ?? '').split(';')[0],
    'x-csrf-token': body.csrfToken ?? '',
  };
  return {
    tenantId: body.tenant.id,
    async call(method, path, json, raw) {
      const res = await fetch(url + path, {
        method,
        headers: { ...headers, 'content-type': raw ? raw.type : 'application/json' },
        body: raw ? new Uint8Array(raw.bytes) : json === undefined ? undefined : JSON.stringify(json),
      });
      const out = await res.json();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(out)}`);
      return out;
    },
  };
}

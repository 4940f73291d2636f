import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startPlatform } from './main.ts';

let t: TestDatabase;
let dataDir: string;
let taken: Server;
let port: number;
beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'qm-port-'));
  taken = createServer();
  port = await new Promise<number>((ok) =>
    taken.listen(0, '127.0.0.1', () => ok((taken.address() as { port: number }).port)),
  );
});
afterAll(async () => {
  await new Promise((ok) => taken.close(ok));
  await t?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('start', () => {
  it('an HTTP port in use fails with CONFIG_INVALID naming it, not an uncaught error', async () => {
    const config = loadConfig({
      DATABASE_URL: t.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      QUADMETER_DATA_DIR: dataDir,
      QUADMETER_SIMULATORS: 'off',
    });
    await expect(startPlatform({ config, logger: createLogger('silent') })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: `cannot listen on 127.0.0.1:${port} (EADDRINUSE); set PORT or HOST`,
    });
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/quadmeter.mjs', import.meta.url));
const PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));

export interface MemorySample {
  at: number;
  rss: number;
  heapUsed: number;
}

/** A real `quadmeter start` process: its URL once it listens, its output, kill -9 and restart. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** memory samples the probe printed (only with `probeMs`) */
  samples: MemorySample[];
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerEnv {
  databaseUrl: string;
  dataDir: string;
  demoPassword: string;
  port: number;
  extra?: Record<string, string>;
  /** sample process.memoryUsage() after a forced GC every probeMs (the soak) */
  probeMs?: number;
}

/** A data folder and the passwords for a server process; removed by `cleanup`. */
export async function serverEnv(
  databaseUrl: string,
  port = 0,
): Promise<ServerEnv & { cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'qm-rel-'));
  await chmod(dataDir, 0o755);
  return {
    databaseUrl,
    dataDir,
    port,
    demoPassword: `demo-${randomBytes(6).toString('hex')}`,
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** Starts `node core/server/bin/quadmeter.mjs start` and waits for "Quadmeter is running at". */
export async function startServer(env: ServerEnv, timeoutMs = 90_000): Promise<ServerProcess> {
  const args = env.probeMs ? ['--expose-gc', '--import', PROBE, BIN, 'start'] : [BIN, 'start'];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      PORT: String(env.port),
      HOST: '127.0.0.1',
      QUADMETER_DATA_DIR: env.dataDir,
      QUADMETER_DEMO_PASSWORD: env.demoPassword,
      QUADMETER_OPERATOR_PASSWORD: `op-${env.demoPassword}`,
      QUADMETER_SIMULATORS: 'off',
      QUADMETER_DEMO_ESTATE: 'off',
      QUADMETER_DB_WAIT_SECONDS: '60',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      QUADMETER_PROBE_MS: String(env.probeMs ?? 0),
      ...env.extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const samples: MemorySample[] = [];
  const exited = new Promise<void>((ok) => child.on('exit', () => ok()));
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  });
  let errBuf = '';
  child.stderr?.on('data', (d: Buffer) => {
    errBuf += d.toString();
    const lines = errBuf.split('\n');
    errBuf = lines.pop() ?? '';
    for (const l of lines) {
      const m = /^QM_MEMORY (\{.*\})$/.exec(l);
      if (m) samples.push(JSON.parse(m[1]) as MemorySample);
      else out += `${l}\n`;
    }
  });
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), timeoutMs);
    const look = () => {
      const m = /Quadmeter is running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout?.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited ${code} before listening:\n${out}`));
    });
  });
  return {
    url,
    child,
    samples,
    output: () => out,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Logs in and returns a bearer/cookie client's headers through test/client.ts's Client. */
export const pause = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** A loopback port free now: a server restarted on it keeps the URLs handed out (notify URLs). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return await new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

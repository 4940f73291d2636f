// Concentrators on the Q/GDW 1376.1 master station: N simulated concentrators connect, log in and
// send heartbeats; the master runs in a child process so its memory and CPU are its own. The
// baseline, in the same run: the same N concentrators on a bare net.Server child that reads and
// discards the same bytes (idle plain TCP sockets plus the heartbeat traffic).
//   npm run bench -- concentrators [N] [heartbeatSec] [measureSec]   (default 5000 30 30)
// Goals: master RSS < 1 GiB and CPU (user+sys seconds / wall seconds) under one core.
import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CoreApi, Logger } from '@quadmeter/sdk';
import { ConcentratorSim, MeterTable, systemClock } from '@quadmeter/simulators';
import { configSchema } from '../plugins/transport-gdw1376/src/config.ts';
import plugin from '../plugins/transport-gdw1376/src/index.ts';
import { masterOf } from '../plugins/transport-gdw1376/src/runtime.ts';

type Role = 'master' | 'bare';
interface Report {
  rss: number;
  heapUsed: number;
  cpuS: number;
  wallS: number;
  online?: number;
  heartbeats: number;
}

const here = fileURLToPath(import.meta.url);

// ---- child: one server, answering 'mark' (start the window) and 'report' (end it) over IPC
if (process.argv[2] === '--child') {
  const role = process.argv[3] as Role;
  let heartbeats = 0;
  let port = 0;
  let online = (): number | undefined => undefined;
  if (role === 'master') {
    const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
    const gw = (g: { a1: string; a2: number }) =>
      ({ matched: true, tenantId: 't', gatewayId: `${g.a1}-${g.a2}` }) as const;
    const core: CoreApi = {
      ingestReadings: async () => ({ outcomes: [], stored: 0, duplicate: 0, rejected: 0, unmatched: 0 }),
      gatewayOnline: async (g) => gw(g),
      gatewayHeartbeat: async (g) => {
        heartbeats++;
        return gw(g);
      },
      enabledTenants: async () => ['t'],
      controlUpdate: async () => ({ matched: false, changed: false }),
      tenantSettings: async () => ({}),
    };
    const config = configSchema.parse({ host: '127.0.0.1', port: 0 });
    const ctx = { pluginId: plugin.id, logger: silent, config, signal: new AbortController().signal, core };
    await plugin.start?.(ctx);
    const master = masterOf(ctx);
    port = master?.port ?? 0;
    online = () => master?.online;
  } else {
    const server = createServer((s: Socket) => {
      s.on('data', (d: Buffer) => {
        // one heartbeat frame per data event of a concentrator after its login
        if (d.length > 0) heartbeats++;
      });
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', 2048, () => r()));
    const a = server.address();
    port = typeof a === 'object' && a ? a.port : 0;
  }
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  let beats0 = 0;
  process.on('message', (m: string) => {
    if (m === 'mark') {
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      beats0 = heartbeats;
    } else if (m === 'report') {
      const cpu = process.cpuUsage(cpu0);
      const mem = process.memoryUsage();
      const report: Report = {
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        cpuS: (cpu.user + cpu.system) / 1e6,
        wallS: (performance.now() - t0) / 1000,
        online: online(),
        heartbeats: heartbeats - beats0,
      };
      process.send?.(report);
    } else if (m === 'exit') process.exit(0);
  });
  process.send?.({ port, rss: process.memoryUsage().rss });
} else {
  await main();
}

// ---- parent: the concentrators, one role after the other so the two children never share the CPU
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const n = Number(args[0] ?? 5000);
  const heartbeatSec = Number(args[1] ?? 30);
  const measureSec = Number(args[2] ?? heartbeatSec);
  if (!Number.isInteger(n) || n < 1 || n > 9000) throw new Error(`N must be 1 … 9000, got ${args[0]}`);
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log(`${n} concentrators, heartbeat every ${heartbeatSec} s, measured over ${measureSec} s`);
  const results: Record<Role, Report & { rss0: number; connectS: number }> = {} as never;
  for (const role of ['bare', 'master'] as const)
    results[role] = await run(role, n, heartbeatSec, measureSec);
  const { bare, master } = results;
  const perLink = (r: typeof bare) => (r.rss - r.rss0) / n / 1024;
  console.log('role     links  connect+login s  RSS MiB  per link KiB  heap MiB  CPU s/s  heartbeats');
  for (const [role, r] of Object.entries(results))
    console.log(
      `${role.padEnd(7)} ${String(n).padStart(6)} ${r.connectS.toFixed(2).padStart(16)} ${mib(r.rss).padStart(8)} ${perLink(r).toFixed(2).padStart(13)} ${mib(r.heapUsed).padStart(9)} ${(r.cpuS / r.wallS).toFixed(4).padStart(8)} ${String(r.heartbeats).padStart(11)}`,
    );
  const cpuRatio = bare.cpuS > 0 ? master.cpuS / bare.cpuS : Number.POSITIVE_INFINITY;
  console.log(
    `ratio master / bare: RSS ${(master.rss / bare.rss).toFixed(2)}×, per-link memory ${(perLink(master) / Math.max(perLink(bare), 0.01)).toFixed(2)}×, CPU ${cpuRatio.toFixed(2)}×`,
  );
  const rssOk = master.rss < 2 ** 30;
  const cpuOk = master.cpuS / master.wallS < 1;
  console.log(`goal RSS < 1 GiB: ${rssOk ? 'met' : 'MISSED'} (${mib(master.rss)} MiB)`);
  console.log(
    `goal CPU < 1 core: ${cpuOk ? 'met' : 'MISSED'} (${(master.cpuS / master.wallS).toFixed(4)} cores)`,
  );
  if (master.online !== n) {
    console.error(`only ${master.online} of ${n} concentrators were online at the master`);
    process.exit(1);
  }
}

function ask<T>(child: ChildProcess, message?: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    if (message) child.send(message);
  });
}

async function run(role: Role, n: number, heartbeatSec: number, measureSec: number) {
  const child = fork(here, ['--child', role], { stdio: 'inherit' });
  const { port, rss: rss0 } = await ask<{ port: number; rss: number }>(child);
  const sims: ConcentratorSim[] = [];
  const t0 = performance.now();
  // connect in waves so the accept backlog never overflows
  for (let i = 0; i < n; i += 250) {
    const wave: ConcentratorSim[] = [];
    for (let a2 = i + 1; a2 <= Math.min(n, i + 250); a2++) {
      const sim = new ConcentratorSim({
        master: { host: '127.0.0.1', port },
        a1: '3501',
        a2,
        table: new MeterTable(systemClock),
        clock: systemClock,
        heartbeatSec,
        reconnectMs: 1000,
      });
      sim.start();
      wave.push(sim);
    }
    const target = role === 'master' ? 'logged-in' : 'connected';
    await until(() => wave.every((s) => s.state === target), 30_000);
    sims.push(...wave);
  }
  const connectS = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 500));
  child.send('mark');
  await new Promise((r) => setTimeout(r, measureSec * 1000));
  const report = await ask<Report>(child, 'report');
  await Promise.all(sims.map((s) => s.stop()));
  child.send('exit');
  await new Promise((r) => child.once('exit', r));
  return { ...report, rss0, connectS };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('concentrators did not connect in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

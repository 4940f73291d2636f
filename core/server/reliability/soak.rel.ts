import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn } from '../test/client.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import {
  type MemorySample,
  pause,
  type ServerProcess,
  serverEnv,
  startServer,
} from './support/server-process.ts';

// The soak: a real `quadmeter start` with the demo estate and its simulators (the RS-485 line, the
// LoRa meters over MQTT, the NB-IoT meters over OneNET) reading 10× as often as by default, for
// QUADMETER_SOAK_MINUTES (default 10; .ci/run sets 2), with an admin polling the API meanwhile.
// A probe in the server process forces a GC and samples RSS and heapUsed every few seconds; after
// the warm-up the heap must stay flat: the median of the last quarter of the samples at most 25%
// (plus 8 MiB of slack) above the median of the second quarter. The figures are printed.
const MINUTES = Number(process.env.QUADMETER_SOAK_MINUTES ?? 10);
const PROBE_MS = MINUTES >= 5 ? 5_000 : 2_000;
const MiB = 1 << 20;

let t: TestDatabase;
let env: Awaited<ReturnType<typeof serverEnv>>;
let server: ServerProcess | undefined;
let sql: postgres.Sql;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.close();
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
  env = await serverEnv(t.url);
  env.probeMs = PROBE_MS;
  env.extra = {
    QUADMETER_SIMULATORS: 'on',
    QUADMETER_DEMO_ESTATE: 'on',
    // 10× the default rates: NB-IoT every 300 s → 30 s, LoRa every 60 s → 6 s
    QUADMETER_SIM_NBIOT_INTERVAL: '30',
    QUADMETER_SIM_LORA_INTERVAL: '6',
  };
});
afterAll(async () => {
  await server?.stop();
  await sql?.end();
  await env?.cleanup();
  await t?.drop();
});

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : Number.NaN;
};
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
const readings = async () => (await sql<{ n: number }[]>`select count(*)::int as n from readings`)[0].n;

describe(`soak: the demo estate at 10× its reading rate for ${MINUTES} min`, () => {
  it(
    'keeps reading and keeps its memory flat',
    async () => {
      server = await startServer(env, 180_000);
      const admin = await loggedIn(server.url, 'demo', 'admin', env.demoPassword);
      const start = Date.now();
      const first = await readings();
      const end = start + MINUTES * 60_000;
      let requests = 0;
      let failed = 0;
      while (Date.now() < end) {
        for (const path of [
          '/api/v1/meters?limit=50',
          '/api/v1/uplinks?page=1&pageSize=20',
          '/api/v1/areas',
        ]) {
          const r = await admin.get(path);
          requests++;
          if (r.status !== 200) failed++;
        }
        await pause(1_000);
      }
      const stored = (await readings()) - first;
      const samples: MemorySample[] = server.samples.filter((s) => s.at >= start);
      expect(server.child.exitCode).toBe(null);
      expect(samples.length).toBeGreaterThanOrEqual(8);
      const q = Math.floor(samples.length / 4);
      const second = samples.slice(q, 2 * q);
      const last = samples.slice(samples.length - q);
      const heap2 = median(second.map((s) => s.heapUsed));
      const heap4 = median(last.map((s) => s.heapUsed));
      const rss2 = median(second.map((s) => s.rss));
      const rss4 = median(last.map((s) => s.rss));
      console.log(
        [
          `soak ${MINUTES} min: ${stored} readings stored (${(stored / MINUTES).toFixed(0)}/min), ${requests} API requests (${failed} not 200), ${samples.length} memory samples`,
          `  heapUsed after GC: 2nd quarter median ${mib(heap2)}, last quarter median ${mib(heap4)} (${(((heap4 - heap2) / heap2) * 100).toFixed(1)}%), max ${mib(Math.max(...samples.map((s) => s.heapUsed)))}`,
          `  RSS: 2nd quarter median ${mib(rss2)}, last quarter median ${mib(rss4)}, max ${mib(Math.max(...samples.map((s) => s.rss)))}`,
        ].join('\n'),
      );
      expect(stored).toBeGreaterThan(0);
      expect(failed).toBe(0);
      expect(heap4).toBeLessThanOrEqual(heap2 * 1.25 + 8 * MiB);
    },
    (MINUTES + 5) * 60_000,
  );
});

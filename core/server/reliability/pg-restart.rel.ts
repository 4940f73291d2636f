import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nbiotEstate, post, pushBody, type StreamDevice } from './support/nbiot-stream.ts';
import { privateCluster } from './support/private-cluster.ts';
import { pause, type ServerProcess, serverEnv, startServer } from './support/server-process.ts';

// PostgreSQL stops (pg_ctl stop -m fast on a private cluster) while a real server process takes a
// stream of NB-IoT readings, and starts again: /readyz goes 503 then 200 without anyone touching
// the server, readings are accepted again, every acknowledged one is stored once, and a job queued
// after the restart (a prepaid deduction run through pg-boss) runs to done.
const HOUR = 3_600_000;
const START = Date.parse('2026-11-01T00:00:00Z');

let cluster: Awaited<ReturnType<typeof privateCluster>>;
let env: Awaited<ReturnType<typeof serverEnv>>;
let server: ServerProcess | undefined;

beforeAll(async () => {
  cluster = await privateCluster();
  env = await serverEnv(cluster.url);
});
afterAll(async () => {
  await server?.stop();
  await env?.cleanup();
  await cluster?.destroy();
});

const readyz = async (url: string) => {
  try {
    return (await fetch(`${url}/readyz`)).status;
  } catch {
    return 0;
  }
};

async function until(what: string, fn: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await pause(100);
  }
}

describe('PostgreSQL restarts under load', () => {
  it('the platform recovers by itself: readyz red then green, writes and jobs go on', async () => {
    server = await startServer(env);
    const url = server.url;
    const estate = await nbiotEstate(url, env.demoPassword, 4, '72');
    const hook = estate.hook(url);
    const acked = new Set<string>();
    const statuses = new Map<number, number>();
    let stopLoad = false;
    const stream = async (d: StreamDevice) => {
      for (let h = 0; !stopLoad; h++) {
        const at = START + h * HOUR;
        const r = await post(hook, pushBody(d, at, hook));
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 200) acked.add(`${d.imei}@${at}`);
        else await pause(50);
      }
    };
    const load = Promise.all(estate.devices.map(stream));
    await until('some readings', async () => acked.size >= 20);
    expect(await readyz(url)).toBe(200);

    await cluster.stop();
    const downAt = acked.size;
    const seenReady: number[] = [];
    await until('readyz 503', async () => {
      const s = await readyz(url);
      if (seenReady.at(-1) !== s) seenReady.push(s);
      return s === 503;
    }).catch((e) => {
      throw new Error(
        `${e.message}; readyz answered ${seenReady.join(' → ')}\n${server?.output().slice(-3000)}`,
      );
    });
    const during = await estate.admin.get('/api/v1/areas');
    expect([during.status, during.body.error.code]).toEqual([503, 'DB_UNAVAILABLE']);
    await pause(2_000);
    await cluster.start();
    await until('readyz 200', async () => (await readyz(url)) === 200);
    const upAt = acked.size;
    await until('readings acknowledged again', async () => acked.size >= upAt + 20);
    stopLoad = true;
    await load;
    // the server process never restarted
    expect(server.child.exitCode).toBe(null);
    expect((await estate.admin.get('/api/v1/areas')).status).toBe(200);

    // a job queued after the restart runs: pg-boss reconnected by itself
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const run = await estate.admin.post('/api/v1/prepaid/deduction-runs', { day });
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    let status = '';
    await until('deduction run done', async () => {
      status = (await estate.admin.get(`/api/v1/prepaid/deduction-runs/${run.body.id}`)).body.status;
      return status === 'done' || status === 'failed';
    });
    expect(status).toBe('done');

    // every acknowledged reading is stored exactly once
    const sql = postgres(cluster.adminUrl.replace(/\/postgres$/, '/quadmeter'), {
      max: 1,
      onnotice: () => {},
    });
    try {
      const rows = await sql<{ key: string; n: number }[]>`
        select r.address || '@' || (extract(epoch from g.ts) * 1000)::bigint as key, count(*)::int as n
        from readings g join meter_routes r on r.meter_id = g.meter_id and r.via = 'nbiot' group by 1`;
      const seen = new Map(rows.map((r) => [r.key, r.n]));
      expect([...acked].filter((k) => seen.get(k) !== 1)).toEqual([]);
    } finally {
      await sql.end();
    }
    console.log(
      `pg restart: ${downAt} readings acknowledged before the stop, ${acked.size} in all; answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  }, 240_000);
});

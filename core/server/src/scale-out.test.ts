import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  Dlt645Device,
  ElectricityMeter,
  ManualClock,
  Rs485Bus,
  startTcpSerialServer,
  type TcpSerialServer,
} from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../test/client.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { type NodeProcess, startNode } from '../test/node-process.ts';
import { withTenant } from './db/tenant.ts';
import { childArea, insertAreas } from './estate-bulk.ts';
import { type Jobs, startJobs } from './jobs/jobs.ts';
import { createLogger } from './logger.ts';
import { seedAccounts, seedArea, seedPlan, seedRun } from './services/billing/runs/fixtures.ts';
import { enqueueRun } from './services/billing/runs/index.ts';
import { fence, isFenced, type Lease } from './services/gateway/leases.ts';
import { ingestReadings } from './services/readings/ingest.ts';
import { addMeters, ingestDeps, serialReading } from './services/readings/ingest-fixtures.ts';
import { createTenant } from './services/tenants/tenants.ts';

// docs/scaling.md: real `quadmeter start --role …` processes (2 api, 2 worker, 2 gateway) on one
// database, two RS-485 lines behind TCP serial servers (simulated DL/T 645 meters, real bytes).
// Shows: api and worker nodes never read a line; a bill run is worked once; every line is talked
// on by one gateway at a time (no collision on the wire, exact request-frame counts); kill -9 of
// a line's owner hands the line to the other gateway with token + 1 after the TTL, reads go on,
// and a write with the dead owner's token is refused.
const TTL_MS = 2_000;
const PER_LINE = 4;
const LINES = ['bus-a', 'bus-b'];
const ACCOUNTS = 60;
const TRANSPORT = 'transport-rs485';
let t: TestDatabase;
let jobs: Jobs;
const buses: Rs485Bus[] = [];
const servers: TcpSerialServer[] = [];
const nodes: NodeProcess[] = [];
const address = (line: number, i: number) => `4${line}00000000${String(i + 1).padStart(2, '0')}`;

beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, createLogger('silent'));
  const clock = new ManualClock(Date.now());
  for (const [l] of LINES.entries()) {
    const bus = new Rs485Bus({ baud: 9600, seed: 7 + l });
    for (let i = 0; i < PER_LINE; i++)
      bus.addDevice(
        new Dlt645Device(new ElectricityMeter({ address: address(l, i), clock, initialEnergy: 100 + i }), 40),
      );
    buses.push(bus);
    servers.push(await startTcpSerialServer(bus));
  }
}, 60_000);
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  await jobs?.stop();
  for (const s of servers) await s.close();
  for (const b of buses) b.close();
  await t?.drop();
});

function env(): Record<string, string> {
  return {
    DATABASE_URL: t.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    QUADMETER_SIMULATORS: 'off',
    QUADMETER_DEMO: 'off',
    QUADMETER_DATA_DIR: `/tmp/qm-scale-${process.pid}`,
    QUADMETER_SECRET_KEY: '11'.repeat(32),
    QUADMETER_LEASE_TTL_MS: String(TTL_MS),
    // six processes load the same modules: V8's compile cache spares the later ones the work
    NODE_COMPILE_CACHE: fileURLToPath(
      new URL('../../../node_modules/.cache/node-compile-cache', import.meta.url),
    ),
    QUADMETER_POOL_HTTP: '2',
    QUADMETER_POOL_JOBS: '3',
    QUADMETER_POOL_PLUGINS: '2',
    QUADMETER_PLUGIN_TRANSPORT_RS485: JSON.stringify({
      lines: Object.fromEntries(LINES.map((l, i) => [l, `tcp://127.0.0.1:${servers[i].port}`])),
    }),
  };
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 60_000,
  every = 100,
) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

const q = async <T>(tenantId: string, query: ReturnType<typeof sql>) =>
  (await withTenant(t.database.db, tenantId, (tx) => tx.execute(query))) as unknown as T[];
const leases = async () =>
  (await t.database.sql<(Lease & { live: boolean })[]>`select resource, owner, token::float8 as token,
    expires_at > now() as live from gateway_leases order by resource`) as (Lease & { live: boolean })[];
const taskStatus = async (tenantId: string, id: string) =>
  (await q<{ status: string }>(tenantId, sql`select status from reading_tasks where id = ${id}`))[0]?.status;
const frames = () => buses.map((b) => b.stats.requestFrames);
const collisions = () => buses.reduce((n, b) => n + b.stats.collisions, 0);

describe('scale-out: api, worker and gateway processes on one database', () => {
  it('no double work; a killed gateway’s lines are handed over with a fenced token', async () => {
    const db = t.database.db;
    const t0 = Date.now();
    const mark = (what: string) => console.log(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const tenant = await createTenant(db, {
      code: 'scale',
      name: 'scale',
      adminUsername: 'admin',
      adminPassword: password,
    });
    const area = childArea(null, 'scale area', 'company', 0);
    await withTenant(db, tenant.id, async (tx) => {
      await insertAreas(tx, [area]);
      await tx.execute(
        sql`insert into plugin_settings (tenant_id, plugin_id, enabled) values (${tenant.id}, ${TRANSPORT}, true)`,
      );
    });
    const meters = await addMeters(
      db,
      { tenantId: tenant.id, areaId: area.id },
      LINES.flatMap((line, l) =>
        Array.from({ length: PER_LINE }, (_, i) => ({
          kind: 'meter-power',
          protocol: 'dlt645-2007',
          comm: address(l, i),
          via: 'serial' as const,
          line,
          digits: 6,
        })),
      ),
    );
    // a bill run for the workers, in a tenant of its own
    const billing = (
      await createTenant(db, {
        code: 'scale-bill',
        name: 'b',
        adminUsername: 'admin',
        adminPassword: password,
      })
    ).id;
    const runId = await withTenant(db, billing, async (tx) => {
      const a = await seedArea(tx, 'bill');
      await seedPlan(tx);
      await seedAccounts(tx, { tag: 's', n: ACCOUNTS, areaId: a, from: '2026-10-01', days: 31 });
      return await seedRun(tx, null, '2026-10-01', '2026-11-01');
    });

    // 1. api and worker nodes: the api answers and enqueues, the workers bill; nobody reads a line
    const api = [startNode('api', env()), startNode('api', env())];
    const workers = [startNode('worker', env()), startNode('worker', env())];
    nodes.push(...api, ...workers);
    const urls = await Promise.all([...api, ...workers].map((n) => n.ready));
    mark('api and worker nodes up');
    for (const [i, n] of [...api, ...workers].entries()) {
      const health = await (await fetch(`${urls[i]}/healthz`)).json();
      expect(health).toEqual({ status: 'ok', role: n.role });
    }
    // a worker node serves no API
    expect((await fetch(`${urls[2]}/api/v1/meters`)).status).toBe(404);
    const clients = await Promise.all(
      api.map(async (_, i) => {
        const c = new Client(urls[i]);
        await c.login('scale', 'admin', password);
        return c;
      }),
    );
    await enqueueRun(jobs, billing, runId);
    const first = await clients[0].post('/api/v1/reading-tasks', {
      target: 'area',
      areaId: area.id,
      kind: 'realtime',
      rounds: 0,
    });
    expect(first.status).toBe(201);
    const firstId = first.body.task.id as string;
    await until('the bill run', async () => {
      const [r] = await q<{ status: string }>(billing, sql`select status from bill_runs where id = ${runId}`);
      return r.status === 'done';
    });
    mark('bill run done');
    const bills = await q<{ live: number; entries: number; accounts: number }>(
      billing,
      sql`select (select count(*)::int from bills where status <> 'cancelled') as live,
        (select count(*)::int from ledger_entries) as entries, (select count(distinct account_id)::int from bills) as accounts`,
    );
    expect(bills[0]).toEqual({ live: ACCOUNTS, entries: ACCOUNTS, accounts: ACCOUNTS });
    // the reading task waited: no api or worker node talks on a line
    expect(await taskStatus(tenant.id, firstId)).toBe('queued');
    expect(frames()).toEqual([0, 0]);
    expect(await leases()).toEqual([]);

    // 2. two gateways: the queued task and four more at once, every line one talker at a time
    const gateways = [startNode('gateway', env()), startNode('gateway', env())];
    nodes.push(...gateways);
    await Promise.all(gateways.map((g) => g.ready));
    mark('gateways up');
    await until('the first task', async () => (await taskStatus(tenant.id, firstId)) === 'done');
    mark('first task done');
    // a meter's read in request frames (a frame retried under load may add one or two)
    const perRead = frames().map((f) => Math.floor(f / PER_LINE));
    expect(perRead.every((f) => f >= 1)).toBe(true);
    const more = await Promise.all(
      [0, 1, 0, 1].map(async (i) => {
        const r = await clients[i].post('/api/v1/reading-tasks', {
          target: 'area',
          areaId: area.id,
          kind: 'realtime',
          rounds: 0,
        });
        expect(r.status).toBe(201);
        return r.body.task.id as string;
      }),
    );
    const owners = new Map<string, Set<string>>();
    await until('four tasks', async () => {
      for (const l of await leases())
        if (l.live)
          (owners.get(l.resource) ?? owners.set(l.resource, new Set()).get(l.resource))?.add(l.owner);
      return (await Promise.all(more.map((id) => taskStatus(tenant.id, id)))).every((s) => s === 'done');
    });
    mark('four tasks done');
    // on the wire: never two masters at once (a collision), and no meter read twice — a meter's
    // read costs perRead frames, so fewer extra frames than that are frame retries under load
    const extra = frames().map((f, i) => f - perRead[i] * PER_LINE * 5);
    for (const [i, e] of extra.entries()) {
      expect(e).toBeGreaterThanOrEqual(0);
      expect(e).toBeLessThan(perRead[i]);
    }
    expect(collisions()).toBe(0);
    const outcomes = await q<{ outcome: string; attempts: number; n: number }>(
      tenant.id,
      sql`select outcome, attempts, count(*)::int as n from reading_task_meters group by 1, 2`,
    );
    expect(outcomes).toEqual([{ outcome: 'ok', attempts: 1, n: 5 * meters.length }]);
    const held = await leases();
    expect(held.map((l) => l.resource)).toEqual(LINES.map((l) => `${TRANSPORT}:${l}`));
    const pids = new Set(gateways.map((g) => String(g.pid)));
    for (const l of held) expect(pids.has(l.owner.split(':')[1])).toBe(true);
    console.log(`lease owners seen per line: ${[...owners].map(([r, s]) => `${r}=${s.size}`).join(', ')}`);

    // 3. kill -9 the gateway talking on bus-a mid-read; the other takes the line with token + 1
    const slow = await clients[0].post('/api/v1/reading-tasks', {
      target: 'area',
      areaId: area.id,
      kind: 'realtime',
      rounds: 0,
    });
    const resource = `${TRANSPORT}:bus-a`;
    const before = held.find((l) => l.resource === resource)!;
    const taken = await until(
      'a live lease on bus-a',
      async () => (await leases()).find((l) => l.resource === resource && l.live && l.token > before.token),
      60_000,
      10,
    );
    const victim = gateways.find((g) => String(g.pid) === taken.owner.split(':')[1])!;
    const survivor = gateways.find((g) => g !== victim)!;
    mark('killing');
    await victim.kill();
    const killedAt = Date.now();
    // reads continue: a new task is read by the survivor once the dead owner's lease lapsed
    const after = await clients[1].post('/api/v1/reading-tasks', {
      target: 'area',
      areaId: area.id,
      kind: 'realtime',
      rounds: 0,
    });
    expect(after.status).toBe(201);
    const next = await until('the hand-over', async () =>
      (await leases()).find((l) => l.resource === resource && l.owner !== taken.owner),
    );
    const handOverMs = Date.now() - killedAt;
    console.log(`hand-over of bus-a after kill -9: ${handOverMs} ms (TTL ${TTL_MS} ms)`);
    expect(next.token).toBe(taken.token + 1);
    expect(next.owner.split(':')[1]).toBe(String(survivor.pid));
    expect(handOverMs).toBeLessThan(TTL_MS + 15_000);
    await until(
      'the task after the kill',
      async () => (await taskStatus(tenant.id, after.body.task.id)) === 'done',
    );
    mark('task after the kill done');
    const afterOutcomes = await q<{ outcome: string; n: number }>(
      tenant.id,
      sql`select outcome, count(*)::int as n from reading_task_meters where task_id = ${after.body.task.id} group by 1`,
    );
    expect(afterOutcomes).toEqual([{ outcome: 'ok', n: meters.length }]);
    expect(collisions()).toBe(0);
    expect(slow.status).toBe(201);

    // 4. the dead owner's token is fenced: a write in its name is refused, nothing is stored
    const count = async () =>
      (await q<{ n: number }>(tenant.id, sql`select count(*)::int as n from readings`))[0].n;
    const stored = await count();
    const at = new Date().toISOString();
    const stale = await ingestReadings(
      ingestDeps(db),
      TRANSPORT,
      [serialReading('bus-a', address(0, 0), at, null, { registers: { totalEnergy: '999999.00' } })],
      (tx) => fence(tx, taken),
    ).then(
      () => 'written',
      (e) => (isFenced(e) ? 'GATEWAY_LEASE_FENCED' : String(e)),
    );
    expect(stale).toBe('GATEWAY_LEASE_FENCED');
    const refused = await withTenant(db, tenant.id, (tx) => fence(tx, taken)).then(
      () => 'written',
      (e) => (isFenced(e) ? 'GATEWAY_LEASE_FENCED' : String(e)),
    );
    expect(refused).toBe('GATEWAY_LEASE_FENCED');
    expect(await count()).toBe(stored);
  }, 240_000);
});

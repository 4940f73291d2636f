import type { PluginContext, PollTransport, ReadResult } from '@quadmeter/sdk';
import { ConcentratorSim, fromWallTime, ManualClock, MeterTable } from '@quadmeter/simulators';
import gdw1376 from '@quadmeter/transport-gdw1376';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { installedPlugins } from '../../installed-plugins.ts';
import { type Jobs, startJobs } from '../../jobs/jobs.ts';
import { createLogger } from '../../logger.ts';
import { type PluginHost, startPlugins } from '../../plugin-host.ts';
import { createSecretBox } from '../../secrets/secret-box.ts';
import { addConcentrator, addMeters, ingestTenant } from './ingest-fixtures.ts';

// The concentrator master station inside the platform: its gateway events reach the archive and
// its readings resolve through the device registry (the reading engine itself is not built here).
let t: TestDatabase;
let jobs: Jobs;
let host: PluginHost;
let ctx: PluginContext;
let port = 0;
const sims: ConcentratorSim[] = [];
const PLUGIN = 'transport-gdw1376';

beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, createLogger('silent'));
  host = await startPlugins({
    logger: createLogger('silent'),
    db: t.database.plugins,
    ingestDb: t.database.jobs,
    jobs,
    secrets: createSecretBox(Buffer.alloc(32, 1)),
    plugins: installedPlugins,
    configFor: (id) => (id === PLUGIN ? { host: '127.0.0.1', port: 0, sweepIntervalSec: 0.2 } : undefined),
  });
  const c = host.registry.context(PLUGIN);
  if (!c) throw new Error('the master station did not start');
  ctx = c;
  const health = await host.registry.health(PLUGIN);
  port = Number(/^port (\d+):/.exec(health.detail ?? '')?.[1]);
});
afterAll(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  await host?.stop();
  await jobs?.stop();
  await t?.drop();
});

async function enable(db: Db, tenantId: string): Promise<void> {
  await withTenant(db, tenantId, (tx) =>
    tx.execute(
      sql`insert into plugin_settings (tenant_id, plugin_id, enabled) values (${tenantId}, ${PLUGIN}, true)`,
    ),
  );
}

async function state(db: Db, tenantId: string, a2: number) {
  const [row] = (await withTenant(db, tenantId, (tx) =>
    tx.execute(
      sql`select online, last_heartbeat_at as "lastHeartbeatAt" from concentrators where a2 = ${a2}`,
    ),
  )) as unknown as { online: boolean; lastHeartbeatAt: Date | null }[];
  return row;
}

async function until(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function sim(a2: number): ConcentratorSim {
  const clock = new ManualClock(fromWallTime({ year: 2026, month: 6, day: 14, hour: 10 }));
  const s = new ConcentratorSim({
    master: { host: '127.0.0.1', port },
    a1: '3501',
    a2,
    table: MeterTable.generate(clock, 2, 35010000 + a2),
    clock,
    heartbeatSec: 0.2,
    reconnectMs: 60_000,
  });
  sims.push(s);
  s.start();
  return s;
}

describe('transport-gdw1376 in the platform', () => {
  it('login, heartbeats and a dropped link show in the archive; readings resolve to the meter', async () => {
    const db = t.database.jobs;
    const on = await ingestTenant(db, 'gdw-on');
    await enable(db, on.tenantId);
    const gatewayId = await addConcentrator(db, on, '3501', 61);
    const [meterId] = await addMeters(db, on, [
      {
        kind: 'meter-power',
        protocol: 'dlt645-2007',
        comm: '350100610001',
        via: 'concentrator',
        line: gatewayId,
        address: '1',
      },
    ]);
    expect(await state(db, on.tenantId, 61)).toEqual({ online: false, lastHeartbeatAt: null });
    const s = sim(61);
    await until(async () => (await state(db, on.tenantId, 61)).lastHeartbeatAt !== null);
    expect((await state(db, on.tenantId, 61)).online).toBe(true);

    const results: ReadResult[] = [];
    // as the engine holds it: a poll transport with an untyped config
    const transport = gdw1376 as unknown as PollTransport;
    for await (const r of transport.read(
      {
        tenantId: on.tenantId,
        line: {
          id: gatewayId,
          params: {},
          gateway: { id: gatewayId, protocol: 'gdw1376', address: '3501-61' },
        },
        meters: [
          {
            meterId,
            ref: { protocol: 'dlt645-2007', address: '350100610001' },
            route: { via: 'concentrator', gateway: { a1: '3501', a2: 61 }, point: 1 },
          },
        ],
        signal: new AbortController().signal,
      },
      ctx,
    ))
      results.push(r);
    const readings = results.flatMap((r) => (r.ok ? [r.reading] : []));
    expect(readings).toHaveLength(1);
    const ingested = await ctx.core.ingestReadings(readings);
    expect(ingested.outcomes).toEqual([{ status: 'stored', tenantId: on.tenantId, meterId, flags: [] }]);
    expect((await ctx.core.ingestReadings(readings)).outcomes[0]).toMatchObject({ status: 'duplicate' });

    s.dropLink();
    await until(async () => !(await state(db, on.tenantId, 61)).online);
  });

  it('a concentrator of a tenant that did not enable the plugin is denied and stays offline', async () => {
    const db = t.database.jobs;
    const off = await ingestTenant(db, 'gdw-off');
    await addConcentrator(db, off, '3501', 62);
    const s = sim(62);
    await until(async () => s.connections === 1 && s.state === 'connecting');
    expect(await state(db, off.tenantId, 62)).toEqual({ online: false, lastHeartbeatAt: null });
  });
});

import { ConcentratorSim, fromWallTime, ManualClock, MeterTable } from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { addConcentrator, addMeters, ingestTenant } from '../readings/ingest-fixtures.ts';
import {
  outcomesOf,
  readingCounts,
  settled,
  startTask,
  startTestEngine,
  type TestEngine,
} from './engine-fixtures.ts';
import { taskSummary } from './store.ts';
import { Field } from './test-transport.ts';

// The engine with the installed master station (transport-gdw1376) and a simulated Q/GDW 1376.1
// concentrator logged in over TCP: the engine's gateway line reaches it; another concentrator
// that never logged in settles its meters as offline without a read.
const PLUGIN = 'transport-gdw1376';
let t: TestDatabase;
let e: TestEngine;
let port = 0;
const sims: ConcentratorSim[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  e = await startTestEngine(
    t.url,
    new Field(),
    { backoffMs: 10 },
    {
      configFor: (id) => (id === PLUGIN ? { host: '127.0.0.1', port: 0, sweepIntervalSec: 0.2 } : undefined),
    },
  );
  const health = await e.host.registry.health(PLUGIN);
  port = Number(/^port (\d+):/.exec(health.detail ?? '')?.[1]);
});
afterAll(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  await e?.stop();
  await t?.drop();
});

async function online(tenantId: string, id: string) {
  const [row] = (await withTenant(t.database.db, tenantId, (tx) =>
    tx.execute(sql`select online from concentrators where id = ${id}`),
  )) as unknown as { online: boolean }[];
  return row.online;
}

describe('the engine over transport-gdw1376', () => {
  it('reads the meters of a logged-in concentrator and settles an offline one', async () => {
    const tenant = await ingestTenant(t.database.db, 'gdw');
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(
        sql`insert into plugin_settings (tenant_id, plugin_id, enabled) values (${tenant.tenantId}, ${PLUGIN}, true)`,
      ),
    );
    const on = await addConcentrator(t.database.db, tenant, '3501', 71);
    const off = await addConcentrator(t.database.db, tenant, '3501', 72);
    const spec = (gw: string, a2: number, point: number) => ({
      kind: 'meter-power',
      protocol: 'dlt645-2007',
      comm: `3501${String(a2).padStart(4, '0')}000${point}`,
      via: 'concentrator' as const,
      line: gw,
      address: String(point),
    });
    const ids = await addMeters(t.database.db, tenant, [spec(on, 71, 1), spec(on, 71, 2), spec(off, 72, 1)]);
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`update meter_routes set concentrator_id = line::uuid, point_no = address::int
        where via = 'concentrator'`),
    );
    const clock = new ManualClock(fromWallTime({ year: 2026, month: 6, day: 14, hour: 10 }));
    const sim = new ConcentratorSim({
      master: { host: '127.0.0.1', port },
      a1: '3501',
      a2: 71,
      table: MeterTable.generate(clock, 2, 35010071),
      clock,
      heartbeatSec: 0.2,
      reconnectMs: 60_000,
    });
    sims.push(sim);
    sim.start();
    for (let i = 0; i < 200 && !(await online(tenant.tenantId, on)); i++)
      await new Promise((ok) => setTimeout(ok, 50));
    expect(await online(tenant.tenantId, on)).toBe(true);

    const taskId = await startTask(e, tenant.tenantId, {
      target: 'area',
      areaId: tenant.areaId,
      kind: 'realtime',
      rounds: 1,
    });
    expect(await settled(t.database.db, tenant.tenantId, taskId, 60_000)).toBe('done');
    const out = await outcomesOf(t.database.db, tenant.tenantId, taskId);
    expect(ids.map((id) => [out.get(id)?.outcome, out.get(id)?.attempts])).toEqual([
      ['ok', 1],
      ['ok', 1],
      ['offline', 2],
    ]);
    expect((await readingCounts(t.database.db, tenant.tenantId)).length).toBe(2);
    const summary = await withTenant(t.database.db, tenant.tenantId, (tx) => taskSummary(tx, null, taskId));
    expect(summary.concentrators.map((c) => [c.name, c.success, c.failed])).toEqual([
      ['C350171', 2, 0],
      ['C350172', 0, 1],
    ]);
  });
});

import { ConcentratorSim, ManualClock, MeterTable } from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { addConcentrator, addMeters, ingestTenant } from '../readings/ingest-fixtures.ts';
import { outcomesOf, settled, startTask, startTestEngine, type TestEngine } from './engine-fixtures.ts';
import { Field } from './test-transport.ts';

// A Q/GDW 1376.1 concentrator whose link drops in the middle of a task (a flaky GPRS modem): the
// master sees it go, the concentrator dials in again, and the task still completes with every
// meter read once.
const DAY = 86_400_000;
const POINTS = 160;
const GDW = 'transport-gdw1376';
let t: TestDatabase;
let e: TestEngine;
let sim: ConcentratorSim;
let table: MeterTable;
let port = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  e = await startTestEngine(
    t.url,
    new Field(),
    { backoffMs: 300 },
    {
      configFor: (id) =>
        id === GDW
          ? {
              host: '127.0.0.1',
              port: 0,
              sweepIntervalSec: 0.2,
              requestTimeoutMs: 1_000,
              pointsPerRequest: 4,
            }
          : undefined,
    },
  );
  const health = await e.host.registry.health(GDW);
  port = Number(/^port (\d+):/.exec(health.detail ?? '')?.[1]);
});
afterAll(async () => {
  await sim?.stop();
  await e?.stop();
  await t?.drop();
});

describe('a concentrator disconnecting mid-task', () => {
  it('is read again after it dials back in: every meter ok, each reading stored once', async () => {
    const db = t.database.db;
    const tenant = await ingestTenant(db, 'drop');
    await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(
        sql`insert into plugin_settings (tenant_id, plugin_id, enabled) values (${tenant.tenantId}, ${GDW}, true)`,
      ),
    );
    const gw = await addConcentrator(db, tenant, '3501', 9);
    const now = Date.now();
    const clock = new ManualClock(now - 2 * DAY);
    table = MeterTable.generate(clock, POINTS, 35010009);
    clock.set(now);
    for (const entry of table.entries()) entry.device.meter.advance();
    const ids = await addMeters(
      db,
      tenant,
      table.entries().map((entry) => ({
        kind: 'meter-power',
        protocol: 'dlt645-2007',
        comm: entry.device.meter.address,
        via: 'concentrator' as const,
        line: gw,
        address: String(entry.pn),
        digits: 6,
      })),
    );
    await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`update meter_routes set concentrator_id = line::uuid, point_no = address::int
        where via = 'concentrator'`),
    );
    sim = new ConcentratorSim({
      master: { host: '127.0.0.1', port },
      a1: '3501',
      a2: 9,
      table,
      clock,
      heartbeatSec: 1,
      reconnectMs: 500,
    });
    sim.start();
    for (let i = 0; i < 100 && sim.state !== 'logged-in'; i++) await new Promise((ok) => setTimeout(ok, 50));
    const taskId = await startTask(e, tenant.tenantId, {
      target: 'area',
      areaId: tenant.areaId,
      kind: 'daily',
      rounds: 4,
    });
    // drop the link once part of the meters are recorded
    for (let i = 0; i < 200; i++) {
      const done = [...(await outcomesOf(db, tenant.tenantId, taskId)).values()].filter((o) => o.outcome);
      if (done.length >= POINTS / 4) break;
      await new Promise((ok) => setTimeout(ok, 20));
    }
    const before = [...(await outcomesOf(db, tenant.tenantId, taskId)).values()].filter((o) => o.outcome);
    expect(before.length).toBeLessThan(POINTS);
    sim.dropLink();
    expect(await settled(db, tenant.tenantId, taskId, 40_000)).toBe('done');
    expect(sim.connections).toBeGreaterThanOrEqual(2);
    const out = await outcomesOf(db, tenant.tenantId, taskId);
    expect(ids.map((id) => out.get(id)?.outcome)).toEqual(Array(POINTS).fill('ok'));
    // some meters needed a second attempt: the ones the drop cut off
    expect([...out.values()].some((o) => o.attempts > 1)).toBe(true);
    const freeze = e.engine.zone.startOf(e.engine.zone.dayOf(now));
    const rows = (await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`select meter_id::text as "meterId", count(*)::int as n, min(value)::float8 as value,
        min(extract(epoch from ts) * 1000)::float8 as ms from readings group by 1`),
    )) as unknown as { meterId: string; n: number; value: number; ms: number }[];
    expect(rows.length).toBe(POINTS);
    const byId = new Map(ids.map((id, k) => [id, table.entries()[k].device.meter]));
    for (const r of rows) {
      expect(r).toMatchObject({ n: 1, ms: freeze });
      expect(r.value).toBe(byId.get(r.meterId)?.daily.find((s) => s.at === freeze)?.positive[0]);
    }
  });
});

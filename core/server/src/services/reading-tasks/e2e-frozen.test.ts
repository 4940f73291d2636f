import {
  ConcentratorSim,
  Dlt645Device,
  ElectricityMeter,
  ManualClock,
  MeterTable,
  Rs485Bus,
  startTcpSerialServer,
  type TcpSerialServer,
} from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { addConcentrator, addMeters, ingestTenant } from '../readings/ingest-fixtures.ts';
import { outcomesOf, settled, startTask, startTestEngine, type TestEngine } from './engine-fixtures.ts';
import { taskSummary } from './store.ts';
import { Field } from './test-transport.ts';

// End to end through the installed transports and the simulators, as the demo estate is read: two
// RS-485 lines of DL/T 645-2007 meters (the meters that keep daily freezes) at 2400 baud behind TCP serial servers (the archive
// names them by alias, as the demo's `demo-bus`) and a Q/GDW 1376.1 concentrator dialing into the
// master station over real TCP. The bus and the concentrator lose 5% of what they are sent.
const DAY = 86_400_000;
const LOSS = 0.05;
const PER_LINE = 8;
const POINTS = 300;
const A1 = '3501';
const A2 = 1;
const LINES = ['e2e-bus-1', 'e2e-bus-2'];
const RS485 = 'transport-rs485';
const GDW = 'transport-gdw1376';

let t: TestDatabase;
let e: TestEngine;
const buses: Rs485Bus[] = [];
const servers: TcpSerialServer[] = [];
const lineMeters: ElectricityMeter[][] = [];
let concentrator: ConcentratorSim;
let table: MeterTable;

const pow = (i: number) => `2000000000${String(i + 1).padStart(2, '0')}`;

beforeAll(async () => {
  t = await createTestDatabase();
  const now = Date.now();
  const aliases: Record<string, string> = {};
  for (const line of LINES) {
    const bus = new Rs485Bus({ baud: 2400, loss: LOSS, seed: 11 + buses.length });
    const meters: ElectricityMeter[] = [];
    for (let i = 0; i < PER_LINE; i++) {
      // three days of history, so today's and earlier daily freezes exist
      const clock = new ManualClock(now - 3 * DAY);
      const meter = new ElectricityMeter({
        address: pow(i),
        clock,
        initialEnergy: 1000 + 37.5 * i,
      });
      clock.set(now);
      meter.advance();
      meters.push(meter);
      bus.addDevice(new Dlt645Device(meter, 20 + (i % 3) * 10));
    }
    const server = await startTcpSerialServer(bus);
    aliases[line] = `tcp://127.0.0.1:${server.port}`;
    buses.push(bus);
    servers.push(server);
    lineMeters.push(meters);
  }
  e = await startTestEngine(
    t.url,
    new Field(),
    { backoffMs: 10 },
    {
      configFor: (id) =>
        id === RS485
          ? { lines: aliases }
          : id === GDW
            ? {
                host: '127.0.0.1',
                port: 0,
                sweepIntervalSec: 0.2,
                requestTimeoutMs: 800,
                pointsPerRequest: 8,
              }
            : undefined,
    },
  );
  const health = await e.host.registry.health(GDW);
  const port = Number(/^port (\d+):/.exec(health.detail ?? '')?.[1]);
  const clock = new ManualClock(now - 3 * DAY);
  table = MeterTable.generate(clock, POINTS, Number(A1) * 10_000 + A2);
  clock.set(now);
  for (const entry of table.entries()) entry.device.meter.advance();
  concentrator = new ConcentratorSim({
    master: { host: '127.0.0.1', port },
    a1: A1,
    a2: A2,
    table,
    clock,
    heartbeatSec: 1,
    reconnectMs: 200,
    loss: LOSS,
    seed: 5,
  });
  concentrator.start();
});

afterAll(async () => {
  await concentrator?.stop();
  await e?.stop();
  for (const s of servers) await s.close();
  for (const b of buses) b.close();
  await t?.drop();
});

/** The meter's own daily freeze taken at `ms` (the start of the day the freeze opens). */
const frozenAt = (m: ElectricityMeter, ms: number) => m.daily.find((s) => s.at === ms)?.positive[0];

async function stored(tenantId: string) {
  return (await withTenant(t.database.db, tenantId, (tx) =>
    tx.execute(sql`select meter_id::text as "meterId", kind, (extract(epoch from ts) * 1000)::float8 as ms,
      value::float8 as value from readings order by 1`),
  )) as unknown as { meterId: string; kind: number; ms: number; value: number }[];
}

describe('a whole-area daily frozen read end to end', () => {
  it('reads every meter of the lines and the concentrator through 5% loss, storing the simulators’ values once', async () => {
    const db = t.database.db;
    const tenant = await ingestTenant(db, 'e2e');
    await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
        values (${tenant.tenantId}, ${RS485}, true), (${tenant.tenantId}, ${GDW}, true)`),
    );
    const gw = await addConcentrator(db, tenant, A1, A2);
    const serialIds = await addMeters(
      db,
      tenant,
      LINES.flatMap((line) =>
        Array.from({ length: PER_LINE }, (_, i) => ({
          kind: 'meter-power',
          protocol: 'dlt645-2007',
          comm: pow(i),
          via: 'serial' as const,
          line,
          digits: 6,
        })),
      ),
    );
    const pointIds = await addMeters(
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
    for (let i = 0; i < 100 && concentrator.state !== 'logged-in'; i++)
      await new Promise((ok) => setTimeout(ok, 50));

    const day = e.engine.zone.dayOf(Date.now());
    const freeze = e.engine.zone.startOf(day);
    const expected = new Map<string, number | undefined>();
    for (const [k, id] of serialIds.entries())
      expected.set(id, frozenAt(lineMeters[Math.floor(k / PER_LINE)][k % PER_LINE], freeze));
    for (const [k, id] of pointIds.entries())
      expected.set(id, frozenAt(table.entries()[k].device.meter, freeze));
    expect([...expected.values()].every((v) => typeof v === 'number')).toBe(true);

    const read = () =>
      startTask(e, tenant.tenantId, { target: 'area', areaId: tenant.areaId, kind: 'daily', rounds: 4 });
    const taskId = await read();
    expect(await settled(db, tenant.tenantId, taskId, 50_000)).toBe('done');
    const out = await outcomesOf(db, tenant.tenantId, taskId);
    expect([...out.values()].filter((o) => o.outcome !== 'ok')).toEqual([]);
    const summary = await withTenant(db, tenant.tenantId, (tx) => taskSummary(tx, null, taskId));
    expect(summary.concentrators.map((c) => [c.success, c.failed])).toEqual([[POINTS, 0]]);
    // the loss happened: frames were dropped on both lines and requests at the concentrator
    for (const b of buses) expect(b.stats.lost).toBeGreaterThan(0);
    expect(concentrator.lost).toBeGreaterThan(0);

    const rows = await stored(tenant.tenantId);
    expect(rows.length).toBe(expected.size);
    for (const r of rows) {
      expect(r).toMatchObject({ kind: 2, ms: freeze });
      expect([r.meterId, r.value]).toEqual([r.meterId, expected.get(r.meterId)]);
    }

    // the same frozen read again: every meter is already stored, nothing is written twice
    const again = await read();
    expect(await settled(db, tenant.tenantId, again, 50_000)).toBe('done');
    const second = await outcomesOf(db, tenant.tenantId, again);
    expect([...second.values()].filter((o) => o.outcome !== 'ok')).toEqual([]);
    expect(await stored(tenant.tenantId)).toEqual(rows);
  });
});

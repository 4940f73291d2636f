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
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { ingestTenant } from '../readings/ingest-fixtures.ts';
import {
  addLineMeters,
  dltAddress,
  outcomesOf,
  readingCounts,
  settled,
  startTask,
  startTestEngine,
  type TestEngine,
} from './engine-fixtures.ts';
import { Field } from './test-transport.ts';

// The engine with the installed serial transport (transport-rs485) over simulated RS-485 lines
// behind TCP serial servers: real frames on a real socket at 9600 baud.
const DAY = 86_400_000;
let t: TestDatabase;
let e: TestEngine;
const buses: Rs485Bus[] = [];
const servers: TcpSerialServer[] = [];
const lines: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  e = await startTestEngine(t.url, new Field(), { backoffMs: 10 });
  const now = Date.now();
  for (let l = 0; l < 2; l++) {
    const bus = new Rs485Bus({ baud: 9600 });
    // two meters per line (the same factory addresses on both lines); meter 2 is in the archive only
    for (let i = 0; i < 2; i++) {
      const clock = new ManualClock(now - 3 * DAY);
      const meter = new ElectricityMeter({ address: dltAddress(i), clock, initialEnergy: 100 * (i + 1) });
      clock.set(now);
      meter.advance();
      bus.addDevice(new Dlt645Device(meter, 20));
    }
    const server = await startTcpSerialServer(bus);
    buses.push(bus);
    servers.push(server);
    lines.push(`tcp://127.0.0.1:${server.port}`);
  }
});
afterAll(async () => {
  await e?.stop();
  for (const s of servers) await s.close();
  for (const b of buses) b.close();
  await t?.drop();
});

describe('the engine over transport-rs485', () => {
  it('reads an area line by line, retries the silent meter and stores each reading once', async () => {
    const tenant = await ingestTenant(t.database.db, 'rs485');
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
        values (${tenant.tenantId}, 'transport-rs485', true)`),
    );
    const ids = await addLineMeters(t.database.db, tenant, lines, 3);
    const silent = [ids[2], ids[5]];
    const taskId = await startTask(e, tenant.tenantId, {
      target: 'area',
      areaId: tenant.areaId,
      kind: 'realtime',
      rounds: 1,
    });
    expect(await settled(t.database.db, tenant.tenantId, taskId, 60_000)).toBe('done');
    const out = await outcomesOf(t.database.db, tenant.tenantId, taskId);
    for (const id of ids.filter((i) => !silent.includes(i)))
      expect(out.get(id)).toMatchObject({ outcome: 'ok', attempts: 1, readingKind: 1 });
    // two rounds and the daily fallback, each time no reply
    for (const id of silent)
      expect(out.get(id)).toMatchObject({
        outcome: 'timeout',
        attempts: 3,
        detail: expect.stringMatching(/^NO_REPLY/),
      });
    expect((await readingCounts(t.database.db, tenant.tenantId)).map((c) => [c.kind, c.n])).toEqual(
      Array(4).fill([1, 1]),
    );

    const daily = await startTask(e, tenant.tenantId, {
      target: 'area',
      areaId: tenant.areaId,
      kind: 'daily',
      rounds: 0,
    });
    expect(await settled(t.database.db, tenant.tenantId, daily, 60_000)).toBe('done');
    const frozen = await outcomesOf(t.database.db, tenant.tenantId, daily);
    const day = e.engine.zone.dayOf(Date.now() - DAY);
    for (const id of ids.filter((i) => !silent.includes(i)))
      expect(frozen.get(id)).toMatchObject({
        outcome: 'ok',
        readingKind: 2,
        readingMs: e.engine.zone.startOf(day),
      });
  });
});

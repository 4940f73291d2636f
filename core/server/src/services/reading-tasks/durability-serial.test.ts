import { spawn } from 'node:child_process';
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
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { type Jobs, startJobs } from '../../jobs/jobs.ts';
import { createLogger } from '../../logger.ts';
import { addMeters, ingestTenant } from '../readings/ingest-fixtures.ts';
import { zone } from '../readings/zone.ts';
import { outcomesOf, readingCounts, settled, startTestEngine } from './engine-fixtures.ts';
import { createTask } from './service.ts';
import { Field } from './test-transport.ts';

// kill -9 of a server process (test/engine-child.ts) in the middle of a real-time read of an
// RS-485 line through the installed transport-rs485 (a TCP serial server in this process, 2400
// baud); after the restart the next engine finishes the task and every reading is stored once.
const METERS = 10;
const LINE = 'kill-bus';
let t: TestDatabase;
let jobs: Jobs;
let bus: Rs485Bus;
let server: TcpSerialServer;
let aliases: Record<string, string>;
const address = (i: number) => `3000000000${String(i + 1).padStart(2, '0')}`;

beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, createLogger('silent'));
  bus = new Rs485Bus({ baud: 2400, seed: 3 });
  const clock = new ManualClock(Date.now());
  for (let i = 0; i < METERS; i++)
    bus.addDevice(
      new Dlt645Device(new ElectricityMeter({ address: address(i), clock, initialEnergy: 500 + i }), 60),
    );
  server = await startTcpSerialServer(bus);
  aliases = { [LINE]: `tcp://127.0.0.1:${server.port}` };
});
afterAll(async () => {
  await jobs?.stop();
  await server?.close();
  bus?.close();
  await t?.drop();
});

describe('kill -9 of a server process mid-read of an RS-485 line', () => {
  it('resumes after the restart and stores each meter’s reading once', async () => {
    const db = t.database.db;
    const tenant = await ingestTenant(db, 'kill-rs485');
    await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
        values (${tenant.tenantId}, 'transport-rs485', true)`),
    );
    const ids = await addMeters(
      db,
      tenant,
      Array.from({ length: METERS }, (_, i) => ({
        kind: 'meter-power',
        protocol: 'dlt645-2007',
        comm: address(i),
        via: 'serial' as const,
        line: LINE,
        digits: 6,
      })),
    );
    const child = spawn(process.execPath, [
      fileURLToPath(new URL('../../../test/engine-child.ts', import.meta.url)),
      t.url,
      'tcp://10.0.0.9:4001',
      '0',
      JSON.stringify(aliases),
    ]);
    const exited = new Promise((ok) => child.on('exit', ok));
    await new Promise<void>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('started')) ok();
      });
      child.on('exit', (code) => fail(new Error(`engine child exited ${code}`)));
    });
    const taskId = (await withTenant(db, tenant.tenantId, (tx) =>
      createTask(
        tx,
        null,
        tenant.tenantId,
        { target: 'area', areaId: tenant.areaId, kind: 'realtime' },
        { jobs, zone: zone('Asia/Shanghai') },
      ),
    )) as string;
    // kill once a few meters are recorded and others are still on the wire
    let done = 0;
    for (let i = 0; i < 400 && done < 3; i++) {
      done = [...(await outcomesOf(db, tenant.tenantId, taskId)).values()].filter((o) => o.outcome).length;
      if (done < 3) await new Promise((ok) => setTimeout(ok, 25));
    }
    child.kill('SIGKILL');
    await exited;
    const mid = [...(await outcomesOf(db, tenant.tenantId, taskId)).values()].filter((o) => o.outcome);
    expect(mid.length).toBeGreaterThanOrEqual(2);
    expect(mid.length).toBeLessThan(METERS);

    const next = await startTestEngine(
      t.url,
      new Field(),
      { leaseMs: 2_000 },
      {
        configFor: (id) => (id === 'transport-rs485' ? { lines: aliases } : undefined),
      },
    );
    try {
      await new Promise((ok) => setTimeout(ok, 2_100));
      expect((await next.engine.tick()).resumed).toBe(1);
      expect(await settled(db, tenant.tenantId, taskId)).toBe('done');
      const out = await outcomesOf(db, tenant.tenantId, taskId);
      expect(ids.map((id) => out.get(id)?.outcome)).toEqual(Array(METERS).fill('ok'));
      const counts = await readingCounts(db, tenant.tenantId);
      expect(counts.map((c) => [c.kind, c.n])).toEqual(Array(METERS).fill([1, 1]));
    } finally {
      await next.stop();
    }
  });
});

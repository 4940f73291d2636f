import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  CJT188_TYPES,
  Cjt188Device,
  Cjt188Meter,
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
import { createCommand } from './create.ts';
import { commandState, settledCommand, startTestDispatcher } from './dispatcher-fixtures.ts';

// kill -9 of the process delivering commands (test/commands-child.ts) at the instant the first
// valve frame reaches its simulated meter: that meter has closed its valve, the others on the line
// wait their turn. After the restart none is lost and none is applied twice: the applied one is
// confirmed by reading the meter back, the others are sent once.
const LINE = 'kill-ctl-bus';
const METERS = 3;
let t: TestDatabase;
let jobs: Jobs;
let bus: Rs485Bus;
let server: TcpSerialServer;
let aliases: Record<string, string>;
const meters: Cjt188Meter[] = [];
const applied: number[] = [];
let onApply: (i: number) => void = () => {};

beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, createLogger('silent'));
  bus = new Rs485Bus({ baud: 2400, seed: 5 });
  const clock = new ManualClock(Date.now());
  for (let i = 0; i < METERS; i++) {
    const m = new Cjt188Meter({ type: CJT188_TYPES.coldWater, address: `1200000000000${i}`, clock });
    const set = m.setValve.bind(m);
    applied.push(0);
    m.setValve = (open: boolean) => {
      applied[i]++;
      set(open);
      onApply(i);
    };
    meters.push(m);
    bus.addDevice(new Cjt188Device(m, 40));
  }
  server = await startTcpSerialServer(bus);
  aliases = { [LINE]: `tcp://127.0.0.1:${server.port}` };
});
afterAll(async () => {
  await jobs?.stop();
  await server?.close();
  bus?.close();
  await t?.drop();
});

describe('kill -9 with commands in flight', () => {
  it('loses none and applies none twice', async () => {
    const db = t.database.db;
    const tenant = await ingestTenant(db, 'kill-ctl');
    const ids = await addMeters(
      db,
      tenant,
      meters.map((m) => ({ comm: m.address, via: 'serial' as const, line: LINE })),
    );
    await withTenant(db, tenant.tenantId, async (tx) => {
      await tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
        values (${tenant.tenantId}, 'transport-rs485', true)`);
      await tx.execute(sql`update meters set control = 'valve'`);
    });
    const child = spawn(process.execPath, [
      fileURLToPath(new URL('../../../test/commands-child.ts', import.meta.url)),
      t.url,
      JSON.stringify(aliases),
    ]);
    const exited = new Promise((ok) => child.on('exit', ok));
    await new Promise<void>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('started')) ok();
      });
      child.on('exit', (code) => fail(new Error(`commands child exited ${code}`)));
    });
    // the first valve to move kills the sender before the meter's answer reaches it
    onApply = () => {
      onApply = () => {};
      child.kill('SIGKILL');
    };
    const cmds: string[] = [];
    await withTenant(db, tenant.tenantId, async (tx) => {
      for (const id of ids)
        cmds.push(
          (
            await createCommand(
              tx,
              { system: 'test' },
              tenant.tenantId,
              id,
              { action: 'valve-close', reason: 'kill' },
              jobs,
            )
          ).id,
        );
    });
    await exited;
    const mid = await Promise.all(cmds.map((id) => commandState(db, tenant.tenantId, id)));
    expect(mid.filter((c) => c.status === 'confirmed')).toHaveLength(0);
    expect(applied.reduce((a, b) => a + b)).toBe(1);
    const first = applied.indexOf(1);

    const next = await startTestDispatcher(t.url, {
      configFor: (id) => (id === 'transport-rs485' ? { lines: aliases } : undefined),
    });
    try {
      // the dead sender's leases (2 s) lapse; then the commands are in doubt
      await new Promise((ok) => setTimeout(ok, 2_100));
      const rows = [];
      for (const id of cmds) rows.push(await settledCommand(next, tenant.tenantId, id));
      expect(rows.map((r) => r.status)).toEqual(Array(METERS).fill('confirmed'));
      expect(rows[first].detail).toBe('confirmed by read-back after a restart; not sent again');
      expect(applied).toEqual(Array(METERS).fill(1));
      expect(meters.map((m) => m.valve)).toEqual(Array(METERS).fill('closed'));
    } finally {
      await next.stop();
    }
  });
});

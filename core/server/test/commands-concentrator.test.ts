import {
  attachWaterMeters,
  ConcentratorSim,
  type ElectricityMeter,
  fromWallTime,
  ManualClock,
  MeterTable,
  waterAddress,
} from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.ts';
import { type CommandInput, createCommand } from '../src/services/commands/create.ts';
import {
  settledCommand,
  startTestDispatcher,
  type TestDispatcher,
} from '../src/services/commands/dispatcher-fixtures.ts';
import { addConcentrator, addMeters, ingestTenant } from '../src/services/readings/ingest-fixtures.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

// The command outbox end to end through a Q/GDW 1376.1 concentrator: the installed
// transport-gdw1376 (its master station) and a simulated concentrator logged in over TCP, with
// CJ/T 188 water meters on port 3 and a DL/T 645-2007 meter at point 1. The valve or relay really
// moves in the simulated meter and the transport reads it back through AFN 10 forwarding.
const PLUGIN = 'transport-gdw1376';
const PORT = 3;
let t: TestDatabase;
let d: TestDispatcher;
let sim: ConcentratorSim;
let tenant: { tenantId: string; areaId: string };
let water: ReturnType<typeof attachWaterMeters>;
let power: ElectricityMeter;
const ids: Record<string, string> = {};

async function online(id: string) {
  const [row] = (await withTenant(t.database.db, tenant.tenantId, (tx) =>
    tx.execute(sql`select online from concentrators where id = ${id}`),
  )) as unknown as { online: boolean }[];
  return row.online;
}

beforeAll(async () => {
  t = await createTestDatabase();
  d = await startTestDispatcher(t.url, {
    configFor: (id) => (id === PLUGIN ? { host: '127.0.0.1', port: 0, sweepIntervalSec: 0.2 } : undefined),
  });
  const port = Number(/^port (\d+):/.exec((await d.host.registry.health(PLUGIN)).detail ?? '')?.[1]);
  const db = t.database.db;
  tenant = await ingestTenant(db, 'ctl-gdw');
  const on = await addConcentrator(db, tenant, '3501', 81);
  const off = await addConcentrator(db, tenant, '3501', 82);
  const clock = new ManualClock(fromWallTime({ year: 2026, month: 6, day: 14, hour: 10 }));
  const table = MeterTable.generate(clock, 1, 35010081);
  power = table.get(1)?.device.meter as ElectricityMeter;
  water = attachWaterMeters(table, { clock, port: PORT, count: 2, addressBase: 35010081 });
  const route = (gw: string, point: number) => ({
    via: 'concentrator' as const,
    line: gw,
    address: String(point),
  });
  const made = await addMeters(db, tenant, [
    { comm: water[0].meter.address, ...route(on, 2) },
    { comm: water[1].meter.address, ...route(on, 3) },
    { comm: waterAddress(35010081, 9), ...route(on, 9) },
    { comm: waterAddress(35010082, 1), ...route(off, 1) },
    { kind: 'meter-power', protocol: 'dlt645-2007', comm: power.address, digits: 6, ...route(on, 1) },
  ]);
  [ids.w0, ids.w1, ids.silent, ids.offline, ids.power] = made;
  await withTenant(db, tenant.tenantId, async (tx) => {
    await tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
      values (${tenant.tenantId}, ${PLUGIN}, true)`);
    await tx.execute(sql`update meter_routes set concentrator_id = line::uuid, point_no = address::int,
      port = case when meter_id = ${ids.power} then null else ${PORT}::smallint end`);
    await tx.execute(
      sql`update meters set control = case when kind = 'meter-power' then 'relay' else 'valve' end`,
    );
  });
  sim = new ConcentratorSim({
    master: { host: '127.0.0.1', port },
    a1: '3501',
    a2: 81,
    table,
    clock,
    heartbeatSec: 0.5,
    reconnectMs: 60_000,
  });
  sim.start();
  for (let i = 0; i < 200 && !(await online(on)); i++) await new Promise((ok) => setTimeout(ok, 50));
});

afterAll(async () => {
  await sim?.stop();
  await d?.stop();
  await t?.drop();
});

async function send(meterId: string, input: Omit<CommandInput, 'reason'>) {
  return await withTenant(t.database.db, tenant.tenantId, (tx) =>
    createCommand(tx, { system: 'test' }, tenant.tenantId, meterId, { reason: 'test', ...input }, d.jobs),
  );
}

describe('commands through a concentrator', () => {
  it('closes a water valve behind it: confirmed and verified by the valve bits', async () => {
    const { id } = await send(ids.w0, { action: 'valve-close' });
    const row = await settledCommand(d, tenant.tenantId, id);
    expect(row, JSON.stringify(row)).toMatchObject({ status: 'confirmed', verified: true, attempts: 1 });
    expect(row.state).toEqual({ valve: 'closed' });
    expect(water.map((w) => w.meter.valve)).toEqual(['closed', 'open']);
  });

  it('trips a relay on the default port, confirmed by status word 3', async () => {
    const { id } = await send(ids.power, { action: 'relay-trip' });
    const row = await settledCommand(d, tenant.tenantId, id);
    expect(row).toMatchObject({ status: 'confirmed', verified: true, state: { relay: 'open' } });
    expect(power.relay.state).toBe('tripped');
  });

  it('a silent meter fails NO_REPLY after its attempts; an offline concentrator GATEWAY_OFFLINE', async () => {
    const silent = await send(ids.silent, { action: 'valve-close' });
    expect(await settledCommand(d, tenant.tenantId, silent.id)).toMatchObject({
      status: 'failed',
      errorCode: 'NO_REPLY',
      attempts: 3,
    });
    const off = await send(ids.offline, { action: 'valve-close' });
    expect(await settledCommand(d, tenant.tenantId, off.id)).toMatchObject({
      status: 'failed',
      errorCode: 'GATEWAY_OFFLINE',
    });
  });

  it('never forwards an expired command', async () => {
    const { id } = await send(ids.w1, { action: 'valve-close', expiresInMinutes: 1 });
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`update meter_commands set expires_at = now() - interval '1 second' where id = ${id}`),
    );
    const before = sim.requests;
    expect(await settledCommand(d, tenant.tenantId, id)).toMatchObject({ status: 'expired', attempts: 0 });
    expect(sim.requests).toBe(before);
    expect(water[1].meter.valve).toBe('open');
  });
});

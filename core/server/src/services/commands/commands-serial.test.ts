import {
  CJT188_TYPES,
  Cjt188Device,
  Cjt188Meter,
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
import { addMeters, ingestTenant } from '../readings/ingest-fixtures.ts';
import { type CommandInput, createCommand, type Requester } from './create.ts';
import { settledCommand, startTestDispatcher, type TestDispatcher } from './dispatcher-fixtures.ts';

// The command outbox end to end over a real RS-485 line: the installed transport-rs485 talks to
// simulated CJ/T 188 water meters (valves) and a DL/T 645-2007 meter (relay) behind a TCP serial
// server; the valve or relay really moves in the simulated meter and the transport reads it back.
const LINE = 'ctl-bus';
const water = (i: number) => `1100000000000${i}`;
const POWER = '210000000001';
const SILENT = '11000000000099';
const system: Requester = { system: 'test' };

let t: TestDatabase;
let d: TestDispatcher;
let bus: Rs485Bus;
let server: TcpSerialServer;
let tenant: { tenantId: string; areaId: string };
const meters: Cjt188Meter[] = [];
let power: ElectricityMeter;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  bus = new Rs485Bus({ baud: 2400, seed: 7 });
  const clock = new ManualClock(Date.now());
  for (let i = 0; i < 3; i++) {
    const m = new Cjt188Meter({
      type: CJT188_TYPES.coldWater,
      address: water(i),
      clock,
      initialVolume: 10 + i,
    });
    meters.push(m);
    bus.addDevice(new Cjt188Device(m, 20));
  }
  power = new ElectricityMeter({ address: POWER, clock, initialEnergy: 800 });
  bus.addDevice(new Dlt645Device(power, 20));
  server = await startTcpSerialServer(bus);
  const aliases = { [LINE]: `tcp://127.0.0.1:${server.port}` };
  d = await startTestDispatcher(t.url, {
    configFor: (id) => (id === 'transport-rs485' ? { lines: aliases } : undefined),
  });
  const db = t.database.db;
  tenant = await ingestTenant(db, 'ctl-serial');
  const specs = [
    ...meters.map((m) => ({ comm: m.address, via: 'serial' as const, line: LINE })),
    { comm: SILENT, via: 'serial' as const, line: LINE },
    {
      kind: 'meter-power',
      protocol: 'dlt645-2007',
      comm: POWER,
      via: 'serial' as const,
      line: LINE,
      digits: 6,
    },
  ];
  const made = await addMeters(db, tenant, specs);
  [ids.w0, ids.w1, ids.w2, ids.silent, ids.power] = made;
  await withTenant(db, tenant.tenantId, async (tx) => {
    await tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
      values (${tenant.tenantId}, 'transport-rs485', true)`);
    await tx.execute(
      sql`update meters set control = case when kind = 'meter-power' then 'relay' else 'valve' end`,
    );
  });
});

afterAll(async () => {
  await d?.stop();
  await server?.close();
  bus?.close();
  await t?.drop();
});

async function send(meterId: string, input: Omit<CommandInput, 'reason'> & { reason?: string }, r = system) {
  return await withTenant(t.database.db, tenant.tenantId, (tx) =>
    createCommand(tx, r, tenant.tenantId, meterId, { reason: 'test', ...input }, d.jobs),
  );
}

describe('commands over RS-485', () => {
  it('closes a valve: the simulated valve closes, the read-back confirms it', async () => {
    const { id } = await send(ids.w0, { action: 'valve-close' });
    const row = await settledCommand(d, tenant.tenantId, id);
    expect(row, JSON.stringify(row)).toMatchObject({ status: 'confirmed', verified: true, attempts: 1 });
    expect(row.state).toEqual({ valve: 'closed' });
    expect(meters[0].valve).toBe('closed');
    expect(meters[1].valve).toBe('open');
  });

  it('fails a meter that never answers after its retries', async () => {
    const { id } = await send(ids.silent, { action: 'valve-close' });
    const row = await settledCommand(d, tenant.tenantId, id);
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(3);
    expect(row.errorCode).toMatch(/^(TIMEOUT|NO_REPLY)$/);
  });

  it('never sends an expired command', async () => {
    const { id } = await send(ids.w1, { action: 'valve-close', expiresInMinutes: 1 });
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`update meter_commands set expires_at = now() - interval '1 second' where id = ${id}`),
    );
    const row = await settledCommand(d, tenant.tenantId, id);
    expect(row).toMatchObject({ status: 'expired', errorCode: 'COMMAND_EXPIRED', attempts: 0 });
    expect(meters[1].valve).toBe('open');
  });

  it('a newer opposite command supersedes a queued one', async () => {
    // both in one transaction: the dispatcher, polling on its own, could otherwise take the first
    // off the queue before the second arrives (then nothing is queued to supersede)
    const [first, second] = await withTenant(t.database.db, tenant.tenantId, async (tx) => [
      await createCommand(
        tx,
        system,
        tenant.tenantId,
        ids.w2,
        { reason: 'test', action: 'valve-close' },
        d.jobs,
      ),
      await createCommand(
        tx,
        system,
        tenant.tenantId,
        ids.w2,
        { reason: 'test', action: 'valve-open' },
        d.jobs,
      ),
    ]);
    const a = await settledCommand(d, tenant.tenantId, first.id);
    const b = await settledCommand(d, tenant.tenantId, second.id);
    expect(a.status).toBe('cancelled');
    expect(a.detail).toBe(`superseded by ${second.id}`);
    expect(b).toMatchObject({ status: 'confirmed', verified: true });
    expect(meters[2].valve).toBe('open');
  });

  it('trips a relay and keep-power refuses a cut from any source but an override', async () => {
    const trip = await send(ids.power, { action: 'relay-trip' });
    expect(await settledCommand(d, tenant.tenantId, trip.id)).toMatchObject({ status: 'confirmed' });
    expect(power.relay.state).toBe('tripped');
    const close = await send(ids.power, { action: 'relay-close' });
    expect((await settledCommand(d, tenant.tenantId, close.id)).status).toBe('confirmed');
    const keep = await send(ids.power, { action: 'keep-power' });
    expect((await settledCommand(d, tenant.tenantId, keep.id)).status).toBe('confirmed');
    const [m] = (await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`select keep_power as k from meters where id = ${ids.power}`),
    )) as unknown as { k: boolean }[];
    expect(m.k).toBe(true);
    await expect(send(ids.power, { action: 'relay-trip' })).rejects.toMatchObject({
      code: 'CONTROL_KEEP_POWER',
    });
    await expect(send(ids.power, { action: 'relay-trip', source: 'prepaid' })).rejects.toMatchObject({
      code: 'CONTROL_KEEP_POWER',
    });
    // the platform itself (prepaid policy, schedules) never overrides
    await expect(send(ids.power, { action: 'relay-trip', override: true })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
  });

  it('answers the same command for a repeated idempotency key', async () => {
    const a = await send(ids.w1, { action: 'valve-open', idempotencyKey: 'k-1' });
    const b = await send(ids.w1, { action: 'valve-open', idempotencyKey: 'k-1' });
    expect(b).toEqual({ id: a.id, created: false });
    await expect(send(ids.w0, { action: 'valve-open', idempotencyKey: 'k-1' })).rejects.toMatchObject({
      code: 'CONTROL_IDEMPOTENCY_CONFLICT',
    });
    expect((await settledCommand(d, tenant.tenantId, a.id)).status).toBe('confirmed');
  });
});

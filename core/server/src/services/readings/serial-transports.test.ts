import type { PluginContext, PollTransport, RawReading, ReadRequest } from '@quadmeter/sdk';
import {
  CJT188_TYPES,
  Cjt188Device,
  Cjt188Meter,
  Dlt645Device,
  ElectricityMeter,
  householdProfile,
  ManualClock,
  MBUS_MEDIA,
  MbusDevice,
  MbusMeter,
  Rs485Bus,
  startTcpSerialServer,
  type TcpSerialServer,
} from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { installedPlugins } from '../../installed-plugins.ts';
import { type Jobs, startJobs } from '../../jobs/jobs.ts';
import { createLogger } from '../../logger.ts';
import { type PluginHost, startPlugins } from '../../plugin-host.ts';
import { createSecretBox } from '../../secrets/secret-box.ts';
import { addMeters, ingestTenant } from './ingest-fixtures.ts';

// The serial transports inside the platform: their readings resolve through the device registry,
// pass the meter types' checks and store once (the reading engine itself is not built here).
let t: TestDatabase;
let jobs: Jobs;
let host: PluginHost;
const buses: Rs485Bus[] = [];
const servers: TcpSerialServer[] = [];
const clock = new ManualClock(Date.now() - 40 * 86_400_000);

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
    configFor: () => undefined,
  });
});
afterAll(async () => {
  await host?.stop();
  for (const s of servers) await s.close();
  for (const b of buses) b.close();
  await jobs?.stop();
  await t?.drop();
});

/** A simulated line at 9600 baud behind a TCP serial server; answers its line key. */
async function line(devices: (Dlt645Device | Cjt188Device | MbusDevice)[]): Promise<string> {
  const bus = new Rs485Bus({ baud: 9600 });
  for (const d of devices) bus.addDevice(d);
  const server = await startTcpSerialServer(bus);
  buses.push(bus);
  servers.push(server);
  return `tcp://127.0.0.1:${server.port}`;
}

const power = (address: string, energy: number) =>
  new Dlt645Device(
    new ElectricityMeter({ address, clock, load: householdProfile(2), initialEnergy: energy }),
    20,
  );

function context(id: string): PluginContext {
  const c = host.registry.context(id);
  if (!c) throw new Error(`${id} did not start`);
  return c;
}

async function readAll(id: string, request: Omit<ReadRequest, 'signal'>): Promise<RawReading[]> {
  const transport = installedPlugins.find((p) => p.id === id) as unknown as PollTransport;
  const out: RawReading[] = [];
  for await (const r of transport.read({ ...request, signal: new AbortController().signal }, context(id))) {
    if (!r.ok) throw new Error(`${r.meterId}: ${r.error.code} ${r.error.message}`);
    out.push(r.reading);
  }
  return out;
}

describe('the serial transports in the platform', () => {
  it('readings of DL/T 645, CJ/T 188 and M-Bus meters resolve by line and address and store once', async () => {
    const db = t.database.jobs;
    const tenant = await ingestTenant(db, 'serial');
    await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
        values (${tenant.tenantId}, 'transport-rs485', true), (${tenant.tenantId}, 'transport-mbus', true)`),
    );
    // the same factory address on two lines, a water meter and an M-Bus heat meter
    const lineA = await line([
      power('000000000001', 1000),
      new Cjt188Device(
        new Cjt188Meter({
          type: CJT188_TYPES.coldWater,
          address: '00000000000002',
          clock,
          initialVolume: 12.5,
        }),
        20,
      ),
    ]);
    const lineB = await line([power('000000000001', 5000)]);
    const mbusLine = await line([
      new MbusDevice(
        new MbusMeter({ primary: 3, id: '45000003', medium: MBUS_MEDIA.heat, clock, initialHeat: 900 }),
        20,
      ),
    ]);
    clock.set(Date.now());
    const [a, water, b, heat] = await addMeters(db, tenant, [
      { kind: 'meter-power', protocol: 'dlt645-2007', comm: '000000000001', via: 'serial', line: lineA },
      { kind: 'meter-water', protocol: 'cjt188', comm: '00000000000002', via: 'serial', line: lineA },
      { kind: 'meter-power', protocol: 'dlt645-2007', comm: '000000000001', via: 'serial', line: lineB },
      { kind: 'meter-heat', protocol: 'mbus', comm: '3', via: 'serial', line: mbusLine, digits: 6 },
    ]);
    const onA = await readAll('transport-rs485', {
      tenantId: tenant.tenantId,
      line: { id: 'a', params: { key: lineA, baudRate: 9600 } },
      meters: [
        { meterId: a, ref: { protocol: 'dlt645-2007', address: '000000000001' } },
        { meterId: water, ref: { protocol: 'cjt188', address: '00000000000002' } },
      ],
    });
    const onB = await readAll('transport-rs485', {
      tenantId: tenant.tenantId,
      line: { id: 'b', params: { key: lineB, baudRate: 9600 } },
      meters: [{ meterId: b, ref: { protocol: 'dlt645-2007', address: '000000000001' } }],
    });
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const frozen = await readAll('transport-rs485', {
      tenantId: tenant.tenantId,
      line: { id: 'b', params: { key: lineB, baudRate: 9600 } },
      meters: [{ meterId: b, ref: { protocol: 'dlt645-2007', address: '000000000001' } }],
      kind: 'monthly',
      frozenFor: month,
    });
    const mbus = await readAll('transport-mbus', {
      tenantId: tenant.tenantId,
      line: { id: 'm', params: { key: mbusLine, baudRate: 9600 } },
      meters: [{ meterId: heat, ref: { protocol: 'mbus', address: '3' } }],
    });
    const readings = [...onA, ...onB, ...frozen, ...mbus];
    const core = context('transport-rs485').core;
    const stored = await core.ingestReadings(readings);
    expect(stored.outcomes.map((o) => o.status)).toEqual(['stored', 'stored', 'stored', 'stored', 'stored']);
    expect(stored.outcomes.map((o) => (o.status === 'stored' ? o.meterId : ''))).toEqual([
      a,
      water,
      b,
      b,
      heat,
    ]);
    expect((await core.ingestReadings(readings)).outcomes.map((o) => o.status)).toEqual(
      Array(5).fill('duplicate'),
    );
    const rows = (await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(
        sql`select meter_id::text as "meterId", kind, value::text as value from readings order by value`,
      ),
    )) as unknown as { meterId: string; kind: number; value: string }[];
    expect(rows, JSON.stringify(rows)).toHaveLength(5);
    // line B's meter: a real-time and a monthly reading, each its own row
    expect(new Set(rows.filter((r) => r.meterId === b).map((r) => r.kind)).size).toBe(2);
    expect(rows.find((r) => r.meterId === a)?.value).toBe(onA[0].registers.activeImportTotal);
  });
});

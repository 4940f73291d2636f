import { ConcentratorSim, fromWallTime, ManualClock, MeterTable } from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { demoAreas, inDemo, otherTenant, tenantId } from './archive-fixtures.ts';

export const GDW = 'transport-gdw1376';

/**
 * The demo tenant with the real master station (transport-gdw1376) on a free loopback port,
 * a concentrator 3501-81 in 1号楼 with three installed DL/T 645 meters at points 1..3 (point 3
 * behind collector 42, port 31) and a concentrator 3501-82 in 3号楼 with one; a second tenant.
 * The simulated concentrators start with empty tables, as fresh from the factory.
 */
export interface ArchiveWorld {
  p: TestPlatform;
  admin: Client;
  other: Client;
  tenantId: string;
  areaA: string;
  areaB: string;
  /** concentrator ids by A2 */
  con: Record<number, string>;
  meters: string[];
  port: number;
  sims: ConcentratorSim[];
}

export const meterAddress = (point: number): string => `35010081${String(point).padStart(4, '0')}`;

async function concentrator(admin: Client, a2: number, areaId: string): Promise<string> {
  const r = await admin.post('/api/v1/concentrators', {
    number: `JZQ-${a2}`,
    name: `集中器${a2}`,
    a1: '3501',
    a2,
    areaId,
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

async function meter(admin: Client, areaId: string, route: Record<string, unknown>, address: string) {
  const r = await admin.post('/api/v1/meters', {
    kind: 'meter-power',
    assetNo: `E-${address}`,
    commAddress: address,
    protocol: 'dlt645-2007',
    areaId,
    route: { via: 'concentrator', ...route },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

export async function archiveWorld(): Promise<ArchiveWorld> {
  const p = await startTestPlatform({
    QUADMETER_PLUGIN_TRANSPORT_GDW1376: JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      requestTimeoutMs: 3000,
    }),
  });
  const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const areas = await demoAreas(admin);
  const tid = await tenantId(p, 'demo');
  await inDemo(p, (tx) =>
    tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled) values (${tid}, ${GDW}, true)
      on conflict (tenant_id, plugin_id) do update set enabled = true`),
  );
  const areaA = areas['1号楼'].id;
  const areaB = areas['3号楼'].id;
  const con = { 81: await concentrator(admin, 81, areaA), 82: await concentrator(admin, 82, areaB) };
  const col = await admin.post('/api/v1/collectors', {
    number: 'CJQ-42',
    interface: 'rs485',
    address: '42',
    concentratorId: con[81],
    areaId: areaA,
  });
  expect(col.status).toBe(201);
  const meters = [
    await meter(admin, areaA, { concentratorId: con[81], pointNo: 1, port: 2 }, meterAddress(1)),
    await meter(admin, areaA, { concentratorId: con[81], pointNo: 2, port: 2 }, meterAddress(2)),
    await meter(
      admin,
      areaA,
      { concentratorId: con[81], pointNo: 3, port: 31, collectorId: col.body.id },
      meterAddress(3),
    ),
    await meter(admin, areaB, { concentratorId: con[82], pointNo: 1, port: 2 }, '350100820001'),
  ];
  await inDemo(p, (tx) => tx.execute(sql`update meters set status = 'installed'`));
  const health = await p.running.platform.registry.health(GDW);
  const port = Number(/^port (\d+):/.exec(health.detail ?? '')?.[1]);
  const other = await otherTenant(p);
  return { p, admin, other, tenantId: tid, areaA, areaB, con, meters, port, sims: [] };
}

/** A simulated concentrator 3501-a2 with an empty table, logged in. */
export async function dial(w: ArchiveWorld, a2: number): Promise<ConcentratorSim> {
  const clock = new ManualClock(fromWallTime({ year: 2026, month: 6, day: 14, hour: 10 }));
  const sim = new ConcentratorSim({
    master: { host: '127.0.0.1', port: w.port },
    a1: '3501',
    a2,
    table: MeterTable.generate(clock, 0, 35010000 + a2),
    clock,
    heartbeatSec: 0.2,
    reconnectMs: 60_000,
  });
  w.sims.push(sim);
  sim.start();
  for (let i = 0; i < 200 && sim.state !== 'logged-in'; i++) await new Promise((ok) => setTimeout(ok, 25));
  expect(sim.state).toBe('logged-in');
  // the master hands the login to the core before it answers reads: wait for the online mark
  for (let i = 0; i < 200; i++) {
    const [row] = (await withSystem(w.p.running.platform.db, (tx) =>
      tx.execute(sql`select online from concentrators where a2 = ${a2}`),
    )) as unknown as { online: boolean }[];
    if (row?.online) break;
    await new Promise((ok) => setTimeout(ok, 25));
  }
  return sim;
}

/** Audit entries of the archive download (or another action), over all tenants. */
export async function downloadAudits(
  w: ArchiveWorld,
  action = 'concentrators.archive-download',
): Promise<number> {
  const [row] = (await withSystem(w.p.running.platform.db, (tx) =>
    tx.execute(sql`select count(*)::int as n from audit_log where action = ${action}`),
  )) as unknown as { n: number }[];
  return row.n;
}

import { randomUUID } from 'node:crypto';
import type { RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { consumptionBetween } from '../archives/consumption.ts';
import { replaceMeter } from '../archives/lifecycle.ts';
import type { Actor } from '../identity/actor.ts';
import { type IngestDeps, ingestReadings } from './ingest.ts';
import { addMeters, ingestDeps, ingestTenant, serialReading, TRANSPORT } from './ingest-fixtures.ts';

let t: TestDatabase;
let db: Db;
let deps: IngestDeps;
let tenant: { tenantId: string; areaId: string };
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.database.jobs;
  deps = ingestDeps(db);
  tenant = await ingestTenant(db, 'rollups');
});
afterAll(async () => t?.drop());

const ingest = (readings: RawReading[]) => ingestReadings(deps, TRANSPORT, readings);
const cst = (day: string, hm: string) => `2026-11-${day}T${hm}:00+08:00`;

async function daily(meterId: string) {
  return (await withTenant(db, tenant.tenantId, (tx) =>
    tx.execute(sql`select to_char(day, 'MM-DD') as day, usage::text as usage, readings, rolled_over as rolled
      from consumption_daily where meter_id = ${meterId} order by day`),
  )) as unknown as { day: string; usage: string; readings: number; rolled: boolean }[];
}
async function monthly(meterId: string) {
  return (await withTenant(db, tenant.tenantId, (tx) =>
    tx.execute(sql`select to_char(month, 'YYYY-MM') as month, usage::text as usage, readings
      from consumption_monthly where meter_id = ${meterId} order by month`),
  )) as unknown as { month: string; usage: string; readings: number }[];
}

describe('consumption rollups', () => {
  const LINE = 'tty:/dev/ttyUSB7';
  it('stay exact across a counter rollover, per day (in the tenant zone) and month', async () => {
    const [m] = await addMeters(db, tenant, [
      { comm: '000000000071', via: 'serial', line: LINE, initial: '99980' },
    ]);
    const r = (day: string, hm: string, v: string) => serialReading(LINE, '000000000071', cst(day, hm), v);
    const res = await ingest([
      r('05', '08:00', '99990.000'),
      r('05', '20:00', '99995.500'),
      // wrapped past 99999.999: 0.500 to the top, then 3.250
      r('06', '08:00', '3.250'),
      r('06', '20:00', '6.000'),
    ]);
    expect(res.stored).toBe(4);
    expect(await daily(m)).toEqual([
      { day: '11-05', usage: '15.500', readings: 2, rolled: false },
      { day: '11-06', usage: '10.500', readings: 2, rolled: true },
    ]);
    expect(await monthly(m)).toEqual([{ month: '2026-11', usage: '26.000', readings: 4 }]);

    // a daily frozen value for 11-06 (the counter at its midnight) arriving after the real-time
    // reads: the day boundary moves consumption between the days, the month keeps its total
    const frozen: RawReading = {
      ...r('06', '00:00', '99998.000'),
      kind: 'daily',
      frozenFor: '2026-11-06',
      idempotencyKey: 'frozen-06',
    };
    expect((await ingest([frozen])).outcomes[0]).toMatchObject({ status: 'stored' });
    expect(await daily(m)).toEqual([
      { day: '11-05', usage: '18.000', readings: 3, rolled: false },
      { day: '11-06', usage: '8.000', readings: 2, rolled: true },
    ]);
    expect(await monthly(m)).toEqual([{ month: '2026-11', usage: '26.000', readings: 5 }]);
    // the next in-order reading continues from the latest one, not from the late frozen value
    await ingest([r('07', '08:00', '7.125')]);
    expect((await daily(m)).at(-1)).toEqual({ day: '11-07', usage: '1.125', readings: 1, rolled: false });
  });

  it('stay exact across a meter replacement: both runs add up to consumptionBetween', async () => {
    const RLINE = 'tty:/dev/ttyUSB8';
    const [old] = await addMeters(db, tenant, [{ comm: '000000000081', via: 'serial', line: RLINE }]);
    const fresh = await withTenant(db, tenant.tenantId, async (tx) => {
      const [row] = (await tx.execute(sql`
        insert into meters (tenant_id, kind, asset_no, comm_address, protocol, area_id, digits)
        values (${tenant.tenantId}, 'meter-water', 'NEW-81', '000000000082', 'cjt188', ${tenant.areaId}, 5)
        returning id::text as id`)) as unknown as { id: string }[];
      return row.id;
    });
    await ingest([
      serialReading(RLINE, '000000000081', cst('10', '08:00'), '100.000'),
      serialReading(RLINE, '000000000081', cst('11', '08:00'), '104.000'),
    ]);
    const actor: Actor = {
      kind: 'operator',
      id: randomUUID(),
      name: 'test',
      displayName: 'test',
      locale: 'en',
      tenantId: tenant.tenantId,
      permissions: new Set(),
      areaScope: null,
    };
    await withTenant(db, tenant.tenantId, (tx) =>
      replaceMeter(tx, { tenantId: tenant.tenantId, actor, kinds: deps.kinds }, old, {
        reason: 'broken',
        at: cst('11', '12:00'),
        newMeterId: fresh,
        finalReading: '105.5',
        initialReading: '0.2',
      }),
    );
    // the route moved: the same line now answers with the new meter's address
    const after = await ingest([serialReading(RLINE, '000000000082', cst('12', '08:00'), '3.200')]);
    expect(after.outcomes[0]).toMatchObject({ status: 'stored', meterId: fresh });
    expect(await daily(old)).toEqual([
      { day: '11-10', usage: '100.000', readings: 1, rolled: false },
      { day: '11-11', usage: '5.500', readings: 2, rolled: false },
    ]);
    expect(await daily(fresh)).toEqual([
      { day: '11-11', usage: '0.000', readings: 1, rolled: false },
      { day: '11-12', usage: '3.000', readings: 1, rolled: false },
    ]);
    const across = await withTenant(db, tenant.tenantId, (tx) =>
      consumptionBetween(
        tx,
        actor,
        deps.kinds,
        { meterId: old, reading: '0' },
        { meterId: fresh, reading: '3.2' },
      ),
    );
    const [sum] = (await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(
        sql`select sum(usage)::text as total from consumption_monthly where meter_id in (${old}, ${fresh})`,
      ),
    )) as unknown as { total: string }[];
    expect(across.total).toBe('108.500');
    expect(sum.total).toBe(across.total);
  });
});

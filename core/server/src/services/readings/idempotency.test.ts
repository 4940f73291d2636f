import type { IngestOutcome, RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { type IngestDeps, ingestReadings } from './ingest.ts';
import { addMeters, ingestDeps, ingestTenant, serialReading, TRANSPORT } from './ingest-fixtures.ts';
import { maintainReadings } from './maintenance.ts';
import { partitionKeeper } from './partitions.ts';
import { nearPartitionBound } from './store.ts';

let t: TestDatabase;
let db: Db;
let deps: IngestDeps;
let tenant: { tenantId: string; areaId: string };
let ids: string[];
const LINE = 'tcp://10.0.9.1:4001';
const addr = (i: number) => String(900 + i).padStart(12, '0');
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.database.jobs;
  deps = ingestDeps(db);
  tenant = await ingestTenant(db, 'idem');
  ids = await addMeters(
    db,
    tenant,
    [0, 1, 2, 3].map((i) => ({ comm: addr(i), via: 'serial' as const, line: LINE })),
  );
});
afterAll(async () => t?.drop());

const ingest = async (r: RawReading) => (await ingestReadings(deps, TRANSPORT, [r])).outcomes[0];
const status = (o: IngestOutcome) => o.status;

/** readings and reading_keys rows of the tenant */
async function held() {
  const [c] = (await withTenant(db, tenant.tenantId, (tx) =>
    tx.execute(sql`select (select count(*)::int from readings) as readings,
      (select count(*)::int from reading_keys) as keys`),
  )) as unknown as { readings: number; keys: number }[];
  return c;
}

/** An uplink stamped with its receive time: its replay carries the same key and another time. */
const uplink = (i: number, at: string, key: string, total: string): RawReading => ({
  ...serialReading(LINE, addr(i), at, total),
  idempotencyKey: key,
});

describe('idempotency keys', () => {
  it('mid-month, a replay with another time is a duplicate by the partition key index alone', async () => {
    // September 2027: a partition the ingest creates on demand (with its key index)
    const first = await ingest(uplink(0, '2027-09-15T08:00:00Z', 'u-0915', '1.000'));
    expect(first).toMatchObject({ status: 'stored' });
    expect(nearPartitionBound(Date.parse('2027-09-15T08:00:00Z'))).toBe(false);
    const before = await held();
    expect(status(await ingest(uplink(0, '2027-09-15T08:03:10Z', 'u-0915', '1.000')))).toBe('duplicate');
    // a new key at that other time is a reading of its own
    expect(status(await ingest(uplink(0, '2027-09-15T08:03:10Z', 'u-0915b', '1.250')))).toBe('stored');
    const after = await held();
    expect(after.keys).toBe(before.keys);
    expect(after.readings).toBe(before.readings + 1);
    const [idx] = await t.database.sql<{ n: number }[]>`
      select count(*)::int as n from pg_indexes where tablename = 'readings_202709' and indexname = 'readings_202709_key'`;
    expect(idx.n).toBe(1);
  });

  it('near a month bound the key is kept in reading_keys too: a replay landing in the next month is a duplicate', async () => {
    const at = '2026-11-30T23:50:00Z';
    expect(nearPartitionBound(Date.parse(at))).toBe(true);
    const before = await held();
    expect(status(await ingest(uplink(1, at, 'u-1130', '2.000')))).toBe('stored');
    expect(await held()).toEqual({ readings: before.readings + 1, keys: before.keys + 1 });
    // re-delivered 20 minutes later, stamped in December (another partition)
    expect(status(await ingest(uplink(1, '2026-12-01T00:10:00Z', 'u-1130', '2.000')))).toBe('duplicate');
    expect(await held()).toEqual({ readings: before.readings + 1, keys: before.keys + 1 });
  });

  it('a replay after its reading_keys row was forgotten is still a duplicate within its month', async () => {
    const at = '2026-11-01T00:30:00Z';
    expect(status(await ingest(uplink(2, at, 'u-1101', '3.000')))).toBe('stored');
    // the daily upkeep forgets every key older than the window (here: all of them)
    const { pruned } = await maintainReadings(db, partitionKeeper(db), 0);
    expect(pruned).toBeGreaterThan(0);
    expect((await held()).keys).toBe(0);
    const readings = (await held()).readings;
    expect(status(await ingest(uplink(2, at, 'u-1101', '3.000')))).toBe('duplicate');
    expect(status(await ingest(uplink(2, '2026-11-01T02:00:00Z', 'u-1101', '3.000')))).toBe('duplicate');
    expect((await held()).readings).toBe(readings);
  });
});

describe('rollups written with the store', () => {
  it('leave out a meter whose batch holds a duplicate and add up only what was stored', async () => {
    expect(status(await ingest(uplink(3, '2026-11-20T08:00:00Z', 'r-1', '10.000')))).toBe('stored');
    // a replay stamped later (after the meter's latest point) beside a new reading
    const res = await ingestReadings(deps, TRANSPORT, [
      uplink(3, '2026-11-20T08:05:00Z', 'r-1', '10.000'),
      uplink(3, '2026-11-20T09:00:00Z', 'r-2', '12.500'),
    ]);
    expect(res.outcomes.map(status)).toEqual(['duplicate', 'stored']);
    const rolled = (await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`select (select sum(usage)::text from consumption_daily where meter_id = ${ids[3]}) as daily,
        (select sum(readings)::int from consumption_monthly where meter_id = ${ids[3]}) as counted,
        (select value::text from reading_state where meter_id = ${ids[3]}) as latest`),
    )) as unknown as { daily: string; counted: number; latest: string }[];
    expect(rolled[0]).toEqual({ daily: '12.500', counted: 2, latest: '12.500' });
  });
});

describe('row-level security of the readings tables (tenant checked once per statement)', () => {
  const TABLES = ['readings', 'reading_keys', 'reading_state', 'consumption_daily', 'consumption_monthly'];
  const counts = (run: (q: ReturnType<typeof sql>) => Promise<unknown>) =>
    Promise.all(
      TABLES.map(async (name) => {
        const [r] = (await run(sql`select count(*)::int as n from ${sql.identifier(name)}`)) as {
          n: number;
        }[];
        return r.n;
      }),
    );

  it('another tenant sees none of the rows and cannot write into the tenant', async () => {
    // the tenant of this file holds rows in every table by now
    const mine = await withTenant(db, tenant.tenantId, (tx) => counts((q) => tx.execute(q)));
    // (its reading_keys were all forgotten above)
    expect([mine[0], mine[2], mine[3], mine[4]].every((n) => n > 0)).toBe(true);
    const other = await ingestTenant(db, 'idem-other');
    expect(await withTenant(db, other.tenantId, (tx) => counts((q) => tx.execute(q)))).toEqual(
      TABLES.map(() => 0),
    );
    await expect(
      withTenant(db, other.tenantId, (tx) =>
        tx.execute(
          sql`insert into reading_state (tenant_id, meter_id) values (${tenant.tenantId}, gen_random_uuid())`,
        ),
      ),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '42501' }) });
    await expect(
      withTenant(db, other.tenantId, (tx) =>
        tx.execute(sql`insert into readings (tenant_id, meter_id, kind, ts, received_at, idem_key)
          values (${tenant.tenantId}, gen_random_uuid(), 1, '2026-11-15T00:00:00Z', now(), 'x')`),
      ),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '42501' }) });
    expect(await withTenant(db, tenant.tenantId, (tx) => counts((q) => tx.execute(q)))).toEqual(mine);
  });
});

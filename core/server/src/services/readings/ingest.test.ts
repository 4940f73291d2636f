import type { IngestOutcome, RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { type IngestDeps, ingestReadings } from './ingest.ts';
import { addMeters, ingestDeps, ingestTenant, serialReading, TRANSPORT } from './ingest-fixtures.ts';

let t: TestDatabase;
let db: Db;
let deps: IngestDeps;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.database.jobs;
  deps = ingestDeps(db);
});
afterAll(async () => t?.drop());

const ingest = (readings: RawReading[]) => ingestReadings(deps, TRANSPORT, readings);
const statuses = (o: IngestOutcome[]) => o.map((x) => x.status);
const reasonCodes = (o: IngestOutcome) => (o.status === 'rejected' ? o.reasons.map((r) => r.code) : []);
const meterOf = (o: IngestOutcome) => ('meterId' in o ? o.meterId : undefined);

async function count(tenantId: string, where = sql`true`) {
  const [r] = (await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`select count(*)::int as n from readings where ${where}`),
  )) as unknown as { n: number }[];
  return r.n;
}

const LINE_A = 'tcp://10.0.0.1:4001';
const LINE_B = 'tcp://10.0.0.2:4001';
const DEFAULT_ADDR = '00000000000001';

describe('ingest outcomes, one per reading', () => {
  let tenant: { tenantId: string; areaId: string };
  let m1: string;
  let m2: string;
  beforeAll(async () => {
    tenant = await ingestTenant(db, 'outcomes');
    // the same factory-default address on two lines: two different meters
    [m1, m2] = await addMeters(db, tenant, [
      { comm: DEFAULT_ADDR, via: 'serial', line: LINE_A },
      { comm: DEFAULT_ADDR, via: 'serial', line: LINE_B },
    ]);
  });

  it('stores, rejects with reason codes and leaves unknown routes unmatched, each reading on its own', async () => {
    const at = '2026-11-02T08:00:00+08:00';
    const res = await ingest([
      serialReading(LINE_A, DEFAULT_ADDR, at, '10.000'),
      serialReading(LINE_B, DEFAULT_ADDR, at, '20.500'),
      serialReading('tcp://10.9.9.9:4001', DEFAULT_ADDR, at, '1.000'),
      { ...serialReading(LINE_A, DEFAULT_ADDR, at, '1'), idempotencyKey: '' },
      serialReading(LINE_A, DEFAULT_ADDR, '2026-11-02T09:00:00+08:00', '9.000'),
      serialReading(LINE_B, DEFAULT_ADDR, '2026-11-02T09:00:00+08:00', '21.12345'),
      serialReading(LINE_B, DEFAULT_ADDR, '2026-11-02T10:00:00+08:00', '100000.000'),
    ]);
    expect(statuses(res.outcomes)).toEqual([
      'stored',
      'stored',
      'unmatched',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(meterOf(res.outcomes[0])).toBe(m1);
    expect(meterOf(res.outcomes[1])).toBe(m2);
    expect(m1).not.toBe(m2);
    expect(res.outcomes[2]).toEqual({ status: 'unmatched', reason: 'NO_ROUTE' });
    expect(reasonCodes(res.outcomes[3])).toEqual(['READING_MALFORMED']);
    expect(reasonCodes(res.outcomes[4])).toEqual(['READING_BACKWARDS']);
    expect(reasonCodes(res.outcomes[5])).toEqual(['REGISTER_FORMAT']);
    expect(reasonCodes(res.outcomes[6])).toEqual(['VALUE_OUT_OF_RANGE']);
    expect({ stored: res.stored, rejected: res.rejected, unmatched: res.unmatched }).toEqual({
      stored: 2,
      rejected: 4,
      unmatched: 1,
    });
    expect(await count(tenant.tenantId)).toBe(2);
  });

  it('a replay of the batch, the same key with another time, and the same (meter, kind, ts) are duplicates', async () => {
    const at = '2026-11-02T08:00:00+08:00';
    const again = await ingest([
      serialReading(LINE_A, DEFAULT_ADDR, at, '10.000'),
      serialReading(LINE_B, DEFAULT_ADDR, at, '20.500'),
    ]);
    expect(statuses(again.outcomes)).toEqual(['duplicate', 'duplicate']);
    // an uplink delivered twice, stamped with its receive time: same key, another instant
    const sameKey = await ingest([
      {
        ...serialReading(LINE_A, DEFAULT_ADDR, '2026-11-02T08:05:00+08:00', '10.000'),
        idempotencyKey: `${LINE_A}|${DEFAULT_ADDR}|${at}`,
      },
    ]);
    expect(statuses(sameKey.outcomes)).toEqual(['duplicate']);
    const samePk = await ingest([
      { ...serialReading(LINE_A, DEFAULT_ADDR, at, '10.000'), idempotencyKey: 'other' },
    ]);
    expect(statuses(samePk.outcomes)).toEqual(['duplicate']);
    // and twice in one batch
    const twice = serialReading(LINE_A, DEFAULT_ADDR, '2026-11-02T11:00:00+08:00', '11.000');
    expect(statuses((await ingest([twice, twice])).outcomes)).toEqual(['stored', 'duplicate']);
    expect(await count(tenant.tenantId)).toBe(3);
  });

  it('stores an FF-filled register as null with a quality flag, and flags an implausible jump without dropping it', async () => {
    const res = await ingest([
      {
        ...serialReading(LINE_B, DEFAULT_ADDR, '2026-11-02T12:00:00+08:00', null),
        registers: { totalVolume: null, flowRate: '0.250', valve: 'open' },
      },
      serialReading(LINE_B, DEFAULT_ADDR, '2026-11-02T13:00:00+08:00', '90.500'),
    ]);
    expect(statuses(res.outcomes)).toEqual(['stored', 'stored']);
    const [missing, jump] = res.outcomes as Extract<IngestOutcome, { status: 'stored' }>[];
    expect(missing.flags).toEqual(['missing:totalVolume']);
    expect(jump.flags).toEqual(['RATE_IMPLAUSIBLE:totalVolume']);
    const rows = (await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`select value::text as value, registers, flags from readings
        where meter_id = ${m2} and ts >= '2026-11-02T04:00:00Z' order by ts`),
    )) as unknown as { value: string | null; registers: unknown; flags: string[] }[];
    expect(rows).toEqual([
      { value: null, registers: { flowRate: '0.250', valve: 'open' }, flags: ['missing:totalVolume'] },
      { value: '90.500', registers: null, flags: ['RATE_IMPLAUSIBLE:totalVolume'] },
    ]);
  });
});

describe('the device registry', () => {
  it('an IMEI of tenant A never resolves into tenant B; registered twice it is ambiguous, never guessed', async () => {
    const a = await ingestTenant(db, 'imei-a');
    const b = await ingestTenant(db, 'imei-b');
    const off = await ingestTenant(db, 'imei-off', false);
    const imei = '861234567890123';
    const [ma] = await addMeters(db, a, [{ comm: imei, protocol: 'nbiot', via: 'nbiot', line: 'ctwing' }]);
    await addMeters(db, b, [{ comm: '869999999999999', protocol: 'nbiot', via: 'nbiot', line: 'ctwing' }]);
    // a tenant that did not enable the transport does not take part
    await addMeters(db, off, [{ comm: imei, protocol: 'nbiot', via: 'nbiot', line: 'ctwing' }]);
    const uplink = (key: string, tenantId?: string): RawReading => ({
      route: { via: 'nbiot', deviceId: imei },
      kind: 'realtime',
      measuredAt: '2026-11-03T06:00:00+08:00',
      receivedAt: '2026-11-03T06:00:02+08:00',
      registers: { totalVolume: '5.000' },
      idempotencyKey: key,
      ...(tenantId && { tenantId }),
    });
    const res = await ingest([uplink('u1'), uplink('u2', b.tenantId)]);
    expect(res.outcomes[0]).toEqual({ status: 'stored', tenantId: a.tenantId, meterId: ma, flags: [] });
    // named for tenant B, it is kept in B's unmatched-uplinks inbox, never stored for A
    expect(res.outcomes[1]).toEqual({ status: 'unmatched', reason: 'NO_ROUTE', kept: true });
    expect(await count(b.tenantId)).toBe(0);
    expect(await count(off.tenantId)).toBe(0);
    // a tenant that did not enable the transport keeps nothing, even when a reading names it
    const offNamed = await ingest([uplink('u9', off.tenantId), uplink('u2', b.tenantId)]);
    expect(offNamed.outcomes).toEqual([
      { status: 'unmatched', reason: 'NO_ROUTE' },
      { status: 'unmatched', reason: 'NO_ROUTE', kept: true },
    ]);
    const kept = async (tenantId: string) =>
      (await withTenant(db, tenantId, (tx) =>
        tx.execute(sql`select idem_key as key, seen, via, device_id as "deviceId" from unmatched_uplinks`),
      )) as unknown as { key: string; seen: number }[];
    expect(await kept(off.tenantId)).toEqual([]);
    // the replay of u2 is the same uplink, seen twice
    expect(await kept(b.tenantId)).toEqual([{ key: 'u2', seen: 2, via: 'nbiot', deviceId: imei }]);

    const c = await ingestTenant(db, 'imei-c');
    await addMeters(db, c, [{ comm: imei, protocol: 'nbiot', via: 'nbiot', line: 'onenet' }]);
    const twice = await ingest([uplink('u3')]);
    expect(twice.outcomes[0]).toEqual({ status: 'unmatched', reason: 'AMBIGUOUS' });
    // naming the platform (the route's line) makes it unique again
    const named = await ingest([
      { ...uplink('u4'), route: { via: 'nbiot', deviceId: imei, platform: 'onenet' } },
    ]);
    expect(named.outcomes[0]).toMatchObject({ status: 'stored', tenantId: c.tenantId });
    expect(await count(a.tenantId)).toBe(1);
  });
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { killMidStatement } from '../../../test/kill-mid-statement.ts';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { gatewayEvent, ingestReadings } from './ingest.ts';
import {
  addConcentrator,
  addMeters,
  dayBatches,
  ingestDeps,
  ingestTenant,
  TRANSPORT,
  testAddress,
} from './ingest-fixtures.ts';
import { maintainReadings } from './maintenance.ts';
import { partitionKeeper } from './partitions.ts';

let t: TestDatabase;
let db: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.database.jobs;
});
afterAll(async () => t?.drop());

async function partitions(): Promise<string[]> {
  const rows = await t.database.sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'readings'::regclass order by 1`;
  return rows.map((r) => r.name);
}

/** What a tenant holds: readings, keys and the per-meter monthly rollups. */
async function fingerprint(tenantId: string) {
  return await withTenant(db, tenantId, async (tx) => {
    const [c] = (await tx.execute(sql`select (select count(*)::int from readings) as readings,
      (select count(*)::int from reading_keys) as keys,
      (select coalesce(sum(usage), 0)::text from consumption_daily) as daily,
      (select coalesce(sum(readings), 0)::int from consumption_monthly) as counted`)) as unknown as {
      readings: number;
      keys: number;
      daily: string;
      counted: number;
    }[];
    const per = (await tx.execute(sql`select sum(m.usage)::text as usage from consumption_monthly m
      group by m.meter_id order by 1`)) as unknown as { usage: string }[];
    return { ...c, per: per.map((p) => p.usage) };
  });
}

describe('partitions', () => {
  it('exist ahead of the clock and are created on demand for any month a batch touches', async () => {
    const tenant = await ingestTenant(db, 'parts');
    await addMeters(db, tenant, [{ comm: '000000000001', via: 'serial', line: 'tty:/dev/ttyS1' }]);
    const deps = ingestDeps(db, () => Date.parse('2027-06-15T00:00:00Z'));
    expect(await partitions()).not.toContain('readings_202706');
    const old: RawReading = {
      route: { via: 'serial', line: 'tty:/dev/ttyS1', address: '000000000001' },
      kind: 'monthly',
      frozenFor: '2024-03',
      measuredAt: '2024-03-01T00:00:05+08:00',
      receivedAt: '2027-06-15T08:00:00+08:00',
      registers: { totalVolume: '12.000' },
      idempotencyKey: 'old-monthly',
    };
    const res = await ingestReadings(deps, TRANSPORT, [old]);
    expect(res.stored).toBe(1);
    // the current month of the clock and two after it, and the month of the frozen value
    // (1 March 00:00 in Shanghai is still February in UTC, where partition bounds lie)
    expect(await partitions()).toEqual(
      expect.arrayContaining(['readings_202402', 'readings_202706', 'readings_202707', 'readings_202708']),
    );
    expect(await partitions()).not.toContain('readings_202403');
  });
});

describe('maintenance', () => {
  it('keeps partitions ahead and forgets idempotency keys older than the window, in every tenant', async () => {
    const a = await ingestTenant(db, 'maint-a');
    const b = await ingestTenant(db, 'maint-b');
    for (const [tn, key] of [
      [a, 'a-old'],
      [a, 'a-new'],
      [b, 'b-old'],
    ] as const)
      await withTenant(db, tn.tenantId, (tx) =>
        tx.execute(sql`insert into reading_keys (tenant_id, key, seen_at)
          values (${tn.tenantId}, md5(${key})::uuid, now() - make_interval(days => ${key.endsWith('old') ? 61 : 59}))`),
      );
    const keeper = partitionKeeper(db, () => Date.parse('2028-01-10T00:00:00Z'));
    const r = await maintainReadings(db, keeper);
    expect(r.pruned).toBe(2);
    expect(r.created).toEqual(['2028-01', '2028-02', '2028-03']);
    const left = async (tenantId: string) =>
      (
        (await withTenant(db, tenantId, (tx) =>
          tx.execute(sql`select count(*)::int as n from reading_keys`),
        )) as unknown as { n: number }[]
      )[0].n;
    expect([await left(a.tenantId), await left(b.tenantId)]).toEqual([1, 0]);
  });
});

describe('gateways', () => {
  it('a concentrator route resolves by A1/A2 and point; heartbeats write online state in its tenant only', async () => {
    const a = await ingestTenant(db, 'gw-a');
    const b = await ingestTenant(db, 'gw-b', false);
    const ca = await addConcentrator(db, a, '3501', 17);
    const cb = await addConcentrator(db, b, '3501', 17);
    const [m] = await addMeters(db, a, [
      { comm: '000000000005', via: 'concentrator', line: ca, address: '5' },
    ]);
    const res = await ingestReadings(ingestDeps(db), TRANSPORT, [
      {
        route: { via: 'concentrator', gateway: { a1: '3501', a2: 17 }, point: 5 },
        kind: 'daily',
        frozenFor: '2026-11-20',
        measuredAt: '2026-11-20T00:00:00+08:00',
        receivedAt: '2026-11-20T03:12:00+08:00',
        registers: { totalVolume: '1.500' },
        status: { word: 0x01, protocol: 'cjt188' },
        idempotencyKey: '3501-17-5-20261120',
      },
    ]);
    expect(res.outcomes[0]).toMatchObject({ status: 'stored', tenantId: a.tenantId, meterId: m });
    const at = '2026-11-20T03:00:00.000Z';
    expect(
      await gatewayEvent(db, TRANSPORT, { a1: '3501', a2: 17 }, { online: true, heartbeat: true, at }),
    ).toEqual({
      matched: true,
      tenantId: a.tenantId,
      gatewayId: ca,
    });
    expect(
      await gatewayEvent(db, TRANSPORT, { a1: '3502', a2: 17 }, { online: true, heartbeat: true }),
    ).toEqual({
      matched: false,
    });
    const state = async (tenantId: string, id: string) =>
      (
        (await withTenant(db, tenantId, (tx) =>
          tx.execute(sql`select online, to_char(last_heartbeat_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as hb
            from concentrators where id = ${id}`),
        )) as unknown as { online: boolean; hb: string | null }[]
      )[0];
    expect(await state(a.tenantId, ca)).toEqual({ online: true, hb: '2026-11-20T03:00' });
    expect(await state(b.tenantId, cb)).toEqual({ online: false, hb: null });
    await gatewayEvent(db, TRANSPORT, { a1: '3501', a2: 17 }, { online: false, heartbeat: false });
    expect(await state(a.tenantId, ca)).toEqual({ online: false, hb: '2026-11-20T03:00' });
  });
});

describe('a batch that fails', { timeout: 180_000 }, () => {
  const METERS = 20;
  const BATCHES = 5;
  /** every meter's consumption over the batches: from 0 to 5 · (i + 1) */
  // only batch 1 (2026-11-01 08:00 in Shanghai, midnight UTC: at a partition bound) keeps its keys
  // in reading_keys; the others are unique by the partitions' key index
  const KEYED = METERS;
  const expected = () => Array.from({ length: METERS }, (_, i) => (BATCHES * (i + 1)).toFixed(3)).sort();

  it('inside its transaction stores nothing of itself; the retry stores each reading once', async () => {
    const tenant = await ingestTenant(db, 'txfail');
    const line = 'tcp://192.168.7.1:9001';
    await addMeters(
      db,
      tenant,
      Array.from({ length: METERS }, (_, i) => ({ comm: testAddress(i), via: 'serial' as const, line })),
    );
    const deps = ingestDeps(db);
    const batches = dayBatches(line, METERS, BATCHES);
    for (const b of batches.slice(0, 2)) await ingestReadings(deps, TRANSPORT, b);
    const before = await fingerprint(tenant.tenantId);
    // the rollup write (the batch's last statement) fails on its monthly row
    await t.database.sql.unsafe(`create function qm_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'injected failure'; end $$`);
    await t.database.sql.unsafe(
      'create trigger qm_test_fail before insert or update on consumption_monthly for each row execute function qm_test_fail()',
    );
    try {
      await expect(ingestReadings(deps, TRANSPORT, batches[2])).rejects.toMatchObject({
        cause: expect.objectContaining({ message: 'injected failure' }),
      });
    } finally {
      await t.database.sql.unsafe(
        'drop trigger qm_test_fail on consumption_monthly; drop function qm_test_fail()',
      );
    }
    expect(await fingerprint(tenant.tenantId)).toEqual(before);
    // the transport retries everything it sent
    const outcomes = [];
    for (const b of batches)
      outcomes.push((await ingestReadings(deps, TRANSPORT, b)).outcomes.map((o) => o.status));
    expect(outcomes.map((o) => [...new Set(o)])).toEqual([
      ['duplicate'],
      ['duplicate'],
      ['stored'],
      ['stored'],
      ['stored'],
    ]);
    const after = await fingerprint(tenant.tenantId);
    expect(after).toMatchObject({
      readings: METERS * BATCHES,
      keys: KEYED,
      counted: METERS * BATCHES,
    });
    expect(after.per).toEqual(expected());
  });

  it('kill -9 of the ingesting process mid-batch loses nothing and doubles nothing after the retry', async () => {
    const tenant = await ingestTenant(db, 'killed');
    const line = 'tcp://192.168.9.1:9001';
    await addMeters(
      db,
      tenant,
      Array.from({ length: METERS }, (_, i) => ({ comm: testAddress(i), via: 'serial' as const, line })),
    );
    const sql0 = t.database.sql;
    // batch 3 (day 2026-11-03) stalls in its rollup write, after its readings were inserted
    await sql0.unsafe(`create function qm_test_stall() returns trigger language plpgsql as $$
      begin
        if new.day = date '2026-11-03' and current_setting('qm.slept', true) is distinct from '1' then
          perform set_config('qm.slept', '1', true);
          perform pg_sleep(2);
        end if;
        return new;
      end $$`);
    await sql0.unsafe(
      'create trigger qm_test_stall before insert on consumption_daily for each row execute function qm_test_stall()',
    );
    const child = spawn(process.execPath, [
      fileURLToPath(new URL('../../../test/ingest-child.ts', import.meta.url)),
      t.url,
      line,
      String(METERS),
      String(BATCHES),
    ]);
    let done = 0;
    child.stdout.on('data', (d: Buffer) => {
      done += (d.toString().match(/batch/g) ?? []).length;
    });
    try {
      // the stalled transaction has inserted batch 3's readings (uncommitted)
      expect(await killMidStatement(sql0, child, '%consumption_daily%')).toBe(true);
    } finally {
      await sql0.unsafe('drop trigger qm_test_stall on consumption_daily; drop function qm_test_stall()');
    }
    expect(done).toBe(2);
    const mid = await fingerprint(tenant.tenantId);
    expect(mid).toMatchObject({ readings: METERS * 2, keys: KEYED, counted: METERS * 2 });
    const deps = ingestDeps(db);
    for (const b of dayBatches(line, METERS, BATCHES)) await ingestReadings(deps, TRANSPORT, b);
    const after = await fingerprint(tenant.tenantId);
    expect(after).toMatchObject({
      readings: METERS * BATCHES,
      keys: KEYED,
      counted: METERS * BATCHES,
    });
    expect(after.per).toEqual(expected());
  });
});

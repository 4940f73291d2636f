import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { ingestReadings } from '../readings/ingest.ts';
import { addConcentrator, addMeters, ingestTenant, TRANSPORT } from '../readings/ingest-fixtures.ts';
import {
  addLineMeters,
  dltAddress,
  energyOf,
  fieldFor,
  LINE_A,
  LINE_B,
  outcomesOf,
  readingCounts,
  settled,
  startTask,
  startTestEngine,
  type TestEngine,
} from './engine-fixtures.ts';
import { taskSummary } from './store.ts';

const LINE_C = 'tty:/dev/ttyS9';
let t: TestDatabase;
let e: TestEngine;
beforeAll(async () => {
  t = await createTestDatabase();
  e = await startTestEngine(t.url, fieldFor([LINE_A, LINE_B, LINE_C], 4), { lineConcurrency: 2 });
});
afterAll(async () => {
  await e?.stop();
  await t?.drop();
});

describe('a real-time task', () => {
  it('reads every meter of an area line by line, stores each reading once and keeps the key', async () => {
    const tenant = await ingestTenant(t.database.db, 'eng-rt');
    const ids = await addLineMeters(t.database.db, tenant, [LINE_A, LINE_B, LINE_C], 4);
    e.field.delayMs = 20;
    e.field.peak = 0;
    const taskId = await startTask(e, tenant.tenantId, {
      target: 'area',
      areaId: tenant.areaId,
      kind: 'realtime',
    });
    expect(await settled(t.database.db, tenant.tenantId, taskId)).toBe('done');
    e.field.delayMs = 0;
    const out = await outcomesOf(t.database.db, tenant.tenantId, taskId);
    expect([...out.values()].map((o) => o.outcome)).toEqual(Array(12).fill('ok'));
    // lines ran in parallel, bounded by lineConcurrency; each line was one request (serialised inside)
    expect(e.field.peak).toBe(2);
    const reqs = e.field.requests.filter((r) => r.kind === 'realtime');
    expect(reqs.map((r) => r.line.id).sort()).toEqual([LINE_A, LINE_B, LINE_C].sort());
    expect(reqs.every((r) => r.meters.length === 4 && r.tenantId === tenant.tenantId)).toBe(true);
    expect(reqs[0].line.params).toEqual({ key: reqs[0].line.id });
    // one real-time reading per meter, the one the outcome names, with the simulated energy
    const counts = await readingCounts(t.database.db, tenant.tenantId);
    expect(counts.filter((c) => c.kind === 1).map((c) => c.n)).toEqual(Array(12).fill(1));
    const values = (await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`select tm.meter_id::text as id, r.value::float8 as v from reading_task_meters tm
        join readings r on r.meter_id = tm.meter_id and r.kind = tm.reading_kind and r.ts = tm.reading_ts
        where tm.task_id = ${taskId}`),
    )) as unknown as { id: string; v: number }[];
    expect(values.length).toBe(12);
    // meter i of each line started at energyOf(i) kWh and drew 1 kW for three days
    for (const v of values) {
      const i = ids.indexOf(v.id) % 4;
      expect(v.v).toBeCloseTo(energyOf(i) + 72, 0);
    }
    const summary = await withTenant(t.database.db, tenant.tenantId, (tx) => taskSummary(tx, null, taskId));
    expect(summary).toMatchObject({ total: 12, success: 12, failed: 0, pending: 0, rate: 1 });
    expect(summary.lines.map((l) => [l.key, l.total, l.rate])).toEqual(
      [LINE_A, LINE_B, LINE_C].map((l) => [`serial:${l}`, 4, 1]).sort(),
    );
    expect(summary.areas).toMatchObject([{ key: tenant.areaId, total: 12, rate: 1 }]);
  });

  it('retries failed meters with backoff (补抄), falls back to the day’s frozen value, settles the unreachable', async () => {
    const tenant = await ingestTenant(t.database.db, 'eng-faults');
    const [m0, m1, m2, m3] = await addLineMeters(t.database.db, tenant, [LINE_A], 4);
    const [noRoute] = await withTenant(t.database.db, tenant.tenantId, async (tx) => {
      const rows =
        (await tx.execute(sql`insert into meters (tenant_id, kind, asset_no, comm_address, protocol, area_id, status)
        values (${tenant.tenantId}, 'meter-power', 'NOROUTE', '100000000099', 'dlt645-2007', ${tenant.areaId}, 'installed')
        returning id::text as id`)) as unknown as { id: string }[];
      return rows.map((r) => r.id);
    });
    const [cjt, nb, lora] = await addMeters(t.database.db, tenant, [
      { kind: 'meter-water', protocol: 'cjt188', comm: '10000000000001', via: 'serial', line: LINE_A },
      { kind: 'meter-power', protocol: 'nbiot', comm: '860000000000001', via: 'nbiot', line: 'ctwing' },
      { kind: 'meter-power', protocol: 'lora', comm: '70B3D57ED0000001', via: 'lora', line: 'lora' },
    ]);
    // the NB-IoT meter pushed an hour ago; the LoRa meter never did
    const pushedAt = new Date(Date.now() - 3_600_000).toISOString();
    const pushed = await ingestReadings(e.engine.ingest, TRANSPORT, [
      {
        route: { via: 'nbiot', deviceId: '860000000000001', platform: 'ctwing' },
        kind: 'realtime',
        measuredAt: pushedAt,
        receivedAt: pushedAt,
        registers: { activeImportTotal: '321.00' },
        idempotencyKey: 'nb-push-1',
      },
    ]);
    expect(pushed.stored).toBe(1);
    e.field.faults.set(dltAddress(0), { fault: 'drop', times: 2 });
    e.field.faults.set(dltAddress(1), { fault: 'corrupt', times: Infinity, only: 'realtime' });
    e.field.faults.set(dltAddress(2), { fault: 'error', times: Infinity });
    const before = e.field.requests.length;
    const taskId = await startTask(e, tenant.tenantId, {
      target: 'area',
      areaId: tenant.areaId,
      kind: 'realtime',
      rounds: 3,
    });
    expect(await settled(t.database.db, tenant.tenantId, taskId)).toBe('done');
    e.field.faults.clear();
    const out = await outcomesOf(t.database.db, tenant.tenantId, taskId);
    const pick = (id: string) => {
      const o = out.get(id);
      return [o?.outcome, o?.attempts];
    };
    expect(pick(m0)).toEqual(['ok', 3]); // two drops, read in the second retry round
    expect(pick(m1)).toEqual(['fallback_daily', 5]); // four real-time rounds, then the daily value
    expect(out.get(m1)?.readingKind).toBe(2);
    expect(pick(m2)).toEqual(['meter_error', 1]); // refused: not retried
    expect(pick(m3)).toEqual(['ok', 1]);
    expect(pick(noRoute)).toEqual(['no_route', 1]);
    expect(pick(cjt)).toEqual(['unsupported', 1]);
    expect(out.get(nb)?.outcome).toBe('pushed');
    expect(out.get(nb)?.readingMs).toBe(Date.parse(pushedAt));
    expect(pick(lora)).toEqual(['push_only', 1]);
    // the fallback asked the line for today's daily value, once, for the one meter left
    const fallback = e.field.requests.slice(before).filter((r) => r.kind === 'daily');
    expect(fallback.map((r) => [r.line.id, r.meters.map((m) => m.meterId), r.frozenFor])).toEqual([
      [LINE_A, [m1], e.engine.zone.dayOf(Date.now())],
    ]);
    const [frozen] = (await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`select value::float8 as v from readings where meter_id = ${m1} and kind = 2`),
    )) as unknown as { v: number }[];
    expect(frozen.v).toBeGreaterThan(energyOf(1));
    const summary = await withTenant(t.database.db, tenant.tenantId, (tx) => taskSummary(tx, null, taskId));
    expect(summary).toMatchObject({ total: 8, success: 4, failed: 4, pending: 0, rate: 0.5 });
  });
});

describe('two tasks on one line', () => {
  it('take turns on the line', async () => {
    const tenant = await ingestTenant(t.database.db, 'eng-turns');
    await addLineMeters(t.database.db, tenant, [LINE_C], 3);
    e.field.delayMs = 100;
    e.field.peak = 0;
    const input = { target: 'area', areaId: tenant.areaId, kind: 'realtime' } as const;
    const [x, y] = [await startTask(e, tenant.tenantId, input), await startTask(e, tenant.tenantId, input)];
    // both at once (their queued jobs find them claimed, or run one of them themselves)
    await Promise.all([e.engine.runNow(tenant.tenantId, x), e.engine.runNow(tenant.tenantId, y)]);
    expect(await settled(t.database.db, tenant.tenantId, x)).toBe('done');
    expect(await settled(t.database.db, tenant.tenantId, y)).toBe('done');
    e.field.delayMs = 0;
    expect(e.field.peak).toBe(1);
    const counts = await readingCounts(t.database.db, tenant.tenantId);
    expect(counts.map((c) => c.n)).toEqual([2, 2, 2]);
  });
});

describe('a frozen task', () => {
  it('reads the daily values of a date, and a second task for that date reads nothing again', async () => {
    const tenant = await ingestTenant(t.database.db, 'eng-daily');
    await addLineMeters(t.database.db, tenant, [LINE_B], 3);
    const day = e.engine.zone.dayOf(Date.now() - 86_400_000);
    const first = await startTask(e, tenant.tenantId, {
      target: 'area',
      areaId: tenant.areaId,
      kind: 'daily',
    });
    expect(await settled(t.database.db, tenant.tenantId, first)).toBe('done');
    const out = await outcomesOf(t.database.db, tenant.tenantId, first);
    expect([...out.values()].map((o) => o.outcome)).toEqual(['ok', 'ok', 'ok']);
    for (const o of out.values()) expect(o.readingMs).toBe(e.engine.zone.startOf(day));
    const before = e.field.requests.length;
    const again = await startTask(e, tenant.tenantId, {
      target: 'area',
      areaId: tenant.areaId,
      kind: 'daily',
      frozenFor: day,
    });
    expect(await settled(t.database.db, tenant.tenantId, again)).toBe('done');
    expect(
      [...(await outcomesOf(t.database.db, tenant.tenantId, again)).values()].map((o) => o.detail),
    ).toEqual(Array(3).fill('already stored'));
    expect(e.field.requests.length).toBe(before);
    const counts = await readingCounts(t.database.db, tenant.tenantId);
    expect(counts.map((c) => [c.kind, c.n])).toEqual(Array(3).fill([2, 1]));
  });
});

describe('meters behind concentrators', () => {
  it('are read through the concentrator’s line; an offline one settles its meters as offline', async () => {
    const tenant = await ingestTenant(t.database.db, 'eng-gw');
    const on = await addConcentrator(t.database.db, tenant, '3501', 7);
    const off = await addConcentrator(t.database.db, tenant, '3501', 8);
    const meters = await withTenant(t.database.db, tenant.tenantId, async (tx) => {
      await tx.execute(sql`update concentrators set online = true where id = ${on}`);
      const ids: string[] = [];
      for (const [gw, point] of [
        [on, 1],
        [on, 2],
        [off, 1],
      ] as const) {
        const [m] =
          (await tx.execute(sql`insert into meters (tenant_id, kind, asset_no, comm_address, protocol,
          area_id, digits, status) values (${tenant.tenantId}, 'meter-power', ${`GW-${gw.slice(0, 4)}-${point}`},
          ${dltAddress(point)}, 'dlt645-2007', ${tenant.areaId}, 6, 'installed') returning id::text as id`)) as unknown as {
            id: string;
          }[];
        await tx.execute(sql`insert into meter_routes (tenant_id, meter_id, via, line, address, concentrator_id, point_no)
          values (${tenant.tenantId}, ${m.id}, 'concentrator', ${gw}, ${String(point)}, ${gw}, ${point})`);
        ids.push(m.id);
      }
      return ids;
    });
    e.field.add(on, dltAddress(1), 500);
    e.field.add(on, dltAddress(2), 600);
    const before = e.field.requests.length;
    const taskId = await startTask(e, tenant.tenantId, {
      target: 'area',
      areaId: tenant.areaId,
      kind: 'realtime',
      rounds: 1,
    });
    expect(await settled(t.database.db, tenant.tenantId, taskId)).toBe('done');
    const out = await outcomesOf(t.database.db, tenant.tenantId, taskId);
    expect(meters.map((m) => [out.get(m)?.outcome, out.get(m)?.attempts])).toEqual([
      ['ok', 1],
      ['ok', 1],
      ['offline', 2],
    ]);
    const reqs = e.field.requests.slice(before);
    expect(reqs.length).toBe(1);
    expect(reqs[0].line).toEqual({
      id: on,
      params: {},
      gateway: { id: on, protocol: 'gdw1376', address: '3501:7', params: { a1: '3501', a2: 7 } },
    });
    expect(reqs[0].meters.map((m) => m.route)).toEqual(
      [1, 2].map((point) => ({
        via: 'concentrator',
        gateway: { a1: '3501', a2: 7 },
        point,
      })),
    );
    const summary = await withTenant(t.database.db, tenant.tenantId, (tx) => taskSummary(tx, null, taskId));
    expect(summary.concentrators.map((c) => [c.key, c.name, c.rate])).toEqual([
      [on, 'C35017', 1],
      [off, 'C35018', 0],
    ]);
  });
});

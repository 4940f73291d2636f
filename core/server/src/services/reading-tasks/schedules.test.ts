import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Actor } from '../identity/actor.ts';
import { ingestTenant } from '../readings/ingest-fixtures.ts';
import {
  addLineMeters,
  fieldFor,
  LINE_A,
  readingCounts,
  settled,
  startTestEngine,
  type TestEngine,
} from './engine-fixtures.ts';
import { createSchedule, cronOf, latestSlot } from './schedules.ts';

const HOUR = 3_600_000;
let t: TestDatabase;
let a: TestEngine;
let b: TestEngine;
beforeAll(async () => {
  t = await createTestDatabase();
  // one after the other: two pg-boss starts granting at once collide (tuple concurrently updated)
  a = await startTestEngine(t.url, fieldFor([LINE_A], 2));
  b = await startTestEngine(t.url, fieldFor([LINE_A], 2));
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await t?.drop();
});

const admin = (tenantId: string): Actor => ({
  kind: 'user',
  id: randomUUID(),
  name: 'admin',
  displayName: 'Admin',
  locale: 'zh-CN',
  tenantId,
  permissions: new Set(),
  areaScope: null,
});

async function tasksOf(tenantId: string, scheduleId: string) {
  return (await withTenant(t.database.db, tenantId, (tx) =>
    tx.execute(sql`select id::text as id, (extract(epoch from slot) * 1000)::float8 as slot, frozen_for as "frozenFor"
      from reading_tasks where schedule_id = ${scheduleId} order by slot`),
  )) as unknown as { id: string; slot: number; frozenFor: string | null }[];
}

describe('schedule slots', () => {
  it('turn presets into crons and find the latest slot in the tenants’ zone', () => {
    expect(cronOf({ frequency: 'daily', hour: 2, minute: 30 })).toBe('30 2 * * *');
    expect(cronOf({ frequency: 'weekly', hour: 6, weekday: 0 })).toBe('0 6 * * 0');
    expect(cronOf({ frequency: 'monthly', monthDay: 5 })).toBe('0 0 5 * *');
    expect(() => cronOf({ frequency: 'cron', cron: '61 * * * *' })).toThrow(
      expect.objectContaining({ code: 'REQ_VALIDATION' }),
    );
    // 02:30 in Shanghai is 18:30 UTC the day before
    expect(latestSlot('30 2 * * *', 'Asia/Shanghai', Date.parse('2026-11-30T10:00:00Z'))).toBe(
      Date.parse('2026-11-29T18:30:00Z'),
    );
  });

  it('run once each when two engines tick the same slots on one database', async () => {
    const tenant = await ingestTenant(t.database.db, 'sched-two');
    const [m0] = await addLineMeters(t.database.db, tenant, [LINE_A], 1);
    const s = await withTenant(t.database.db, tenant.tenantId, async (tx) => {
      const made = await createSchedule(tx, admin(tenant.tenantId), tenant.tenantId, {
        name: 'hourly',
        target: 'meter',
        targetId: m0,
        kind: 'realtime',
        frequency: 'hourly',
      });
      await tx.execute(
        sql`update reading_schedules set created_at = now() - interval '1 day' where id = ${made.id}`,
      );
      return made;
    });
    const base = Math.floor((Date.now() - 10 * HOUR) / HOUR) * HOUR + 60_000;
    const N = 6;
    let created = 0;
    for (let k = 0; k < N; k++) {
      const now = base + k * HOUR;
      const ticks = await Promise.all([a.engine.tick(now), b.engine.tick(now), a.engine.tick(now)]);
      created += ticks.reduce((n, x) => n + x.created, 0);
      // one slot's task at a time, so no two reads of the meter fall in one millisecond
      for (const x of await tasksOf(tenant.tenantId, s.id))
        expect(await settled(t.database.db, tenant.tenantId, x.id)).toBe('done');
    }
    const tasks = await tasksOf(tenant.tenantId, s.id);
    expect(tasks.map((x) => x.slot)).toEqual(Array.from({ length: N }, (_, k) => base - 60_000 + k * HOUR));
    expect(created).toBe(N);
    for (const x of tasks) expect(await settled(t.database.db, tenant.tenantId, x.id)).toBe('done');
    // each task ran once: one real-time reading per slot
    const counts = await readingCounts(t.database.db, tenant.tenantId);
    expect(counts).toEqual([{ meterId: m0, kind: 1, n: N }]);
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`update reading_schedules set enabled = false where id = ${s.id}`),
    );
  });

  it('run a slot missed while no server ran once, on the next tick, and read the day before', async () => {
    const tenant = await ingestTenant(t.database.db, 'sched-missed');
    await addLineMeters(t.database.db, tenant, [LINE_A], 2);
    const s = await withTenant(t.database.db, tenant.tenantId, async (tx) => {
      const made = await createSchedule(tx, admin(tenant.tenantId), tenant.tenantId, {
        name: 'daily frozen',
        target: 'area',
        targetId: tenant.areaId,
        kind: 'daily',
        frequency: 'hourly',
        minute: 5,
      });
      await tx.execute(
        sql`update reading_schedules set last_slot = now() - interval '5 hours' where id = ${made.id}`,
      );
      return made;
    });
    const now = Date.now();
    expect((await b.engine.tick(now)).created).toBe(1);
    expect((await a.engine.tick(now)).created).toBe(0);
    const [task] = await tasksOf(tenant.tenantId, s.id);
    expect(task.slot).toBe(latestSlot('5 * * * *', 'Asia/Shanghai', now));
    expect(task.frozenFor).toBe(a.engine.zone.dayOf(task.slot - 86_400_000));
    expect(await settled(t.database.db, tenant.tenantId, task.id)).toBe('done');
    expect((await tasksOf(tenant.tenantId, s.id)).length).toBe(1);
  });

  it('run a slot missed while no server ran when an engine starts', async () => {
    const tenant = await ingestTenant(t.database.db, 'sched-start');
    const [m0] = await addLineMeters(t.database.db, tenant, [LINE_A], 1);
    const s = await withTenant(t.database.db, tenant.tenantId, async (tx) => {
      const made = await createSchedule(tx, admin(tenant.tenantId), tenant.tenantId, {
        name: 'daily',
        target: 'meter',
        targetId: m0,
        kind: 'realtime',
        frequency: 'daily',
        hour: 3,
      });
      await tx.execute(
        sql`update reading_schedules set last_slot = now() - interval '3 days' where id = ${made.id}`,
      );
      return made;
    });
    const c = await startTestEngine(t.url, fieldFor([LINE_A], 1), {}, { cron: true });
    try {
      const tasks = await tasksOf(tenant.tenantId, s.id);
      expect(tasks.map((x) => x.slot)).toEqual([latestSlot('0 3 * * *', 'Asia/Shanghai', Date.now())]);
      expect(await settled(t.database.db, tenant.tenantId, tasks[0].id)).toBe('done');
    } finally {
      await c.stop();
    }
  });
});

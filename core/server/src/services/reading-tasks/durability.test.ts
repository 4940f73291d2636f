import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { killMidStatement } from '../../../test/kill-mid-statement.ts';
import { withTenant } from '../../db/tenant.ts';
import { type Jobs, startJobs } from '../../jobs/jobs.ts';
import { createLogger } from '../../logger.ts';
import { ingestTenant } from '../readings/ingest-fixtures.ts';
import { zone } from '../readings/zone.ts';
import {
  addLineMeters,
  fieldFor,
  LINE_A,
  outcomesOf,
  readingCounts,
  settled,
  startTestEngine,
} from './engine-fixtures.ts';
import { createTask } from './service.ts';

const METERS = 8;
let t: TestDatabase;
let jobs: Jobs;
beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, createLogger('silent'));
});
afterAll(async () => {
  await jobs?.stop();
  await t?.drop();
});

describe('a reading task and kill -9', () => {
  it('resumes on the next engine after its process is killed mid-task, storing nothing twice', async () => {
    const db = t.database.db;
    const tenant = await ingestTenant(db, 'eng-kill');
    const ids = await addLineMeters(db, tenant, [LINE_A], METERS);
    const sql0 = t.database.sql;
    // the third batch of outcomes stalls after its readings were stored (their transaction committed)
    await sql0.unsafe(`create function qm_test_stall() returns trigger language plpgsql as $$
      begin
        if (select count(*) from reading_task_meters m where m.task_id = new.task_id and m.outcome is not null) >= 4
          and current_setting('qm.slept', true) is distinct from '1' then
          perform set_config('qm.slept', '1', true);
          perform pg_sleep(3);
        end if;
        return new;
      end $$`);
    await sql0.unsafe(`create trigger qm_test_stall before update on reading_task_meters for each row
      when (new.outcome is not null) execute function qm_test_stall()`);
    const child = spawn(process.execPath, [
      fileURLToPath(new URL('../../../test/engine-child.ts', import.meta.url)),
      t.url,
      LINE_A,
      String(METERS),
    ]);
    const taskId = await withTenant(db, tenant.tenantId, (tx) =>
      createTask(
        tx,
        null,
        tenant.tenantId,
        { target: 'area', areaId: tenant.areaId, kind: 'realtime' },
        { jobs, zone: zone('Asia/Shanghai') },
      ),
    );
    try {
      expect(await killMidStatement(sql0, child, '%update reading_task_meters%')).toBe(true);
    } finally {
      await sql0.unsafe('drop trigger qm_test_stall on reading_task_meters; drop function qm_test_stall()');
    }
    // killed between storing readings 5–6 and recording them: six readings, four outcomes
    const mid = await outcomesOf(db, tenant.tenantId, taskId as string);
    expect([...mid.values()].filter((o) => o.outcome === 'ok').length).toBe(4);
    expect((await readingCounts(db, tenant.tenantId)).length).toBe(6);

    // a new engine (another process after the restart) resumes the task once its lease lapsed
    const next = await startTestEngine(t.url, fieldFor([LINE_A], METERS), { leaseMs: 2_000 });
    try {
      await new Promise((ok) => setTimeout(ok, 2_100));
      expect((await next.engine.tick()).resumed).toBe(1);
      expect(await settled(db, tenant.tenantId, taskId as string)).toBe('done');
      const out = await outcomesOf(db, tenant.tenantId, taskId as string);
      expect(ids.map((id) => out.get(id)?.outcome)).toEqual(Array(METERS).fill('ok'));
      expect(ids.map((id) => out.get(id)?.detail ?? null).filter((d) => d === 'already stored').length).toBe(
        2,
      );
      // meters 5–6 were not read again: one real-time reading per meter
      const counts = await readingCounts(db, tenant.tenantId);
      expect(counts.map((c) => [c.kind, c.n])).toEqual(Array(METERS).fill([1, 1]));
      expect(next.field.requests.map((r) => [r.line.id, r.meters.length])).toEqual([[LINE_A, 2]]);
    } finally {
      await next.stop();
    }
  });

  it('hands a task back when its engine stops, and the next engine finishes it at once', async () => {
    const db = t.database.db;
    const tenant = await ingestTenant(db, 'eng-stop');
    const ids = await addLineMeters(db, tenant, [LINE_A], METERS);
    const first = await startTestEngine(t.url, fieldFor([LINE_A], METERS), {
      flushEvery: 1,
      leaseMs: 60_000,
    });
    first.field.delayMs = 100;
    const taskId = (await withTenant(db, tenant.tenantId, (tx) =>
      createTask(
        tx,
        null,
        tenant.tenantId,
        { target: 'area', areaId: tenant.areaId, kind: 'realtime' },
        { jobs: first.jobs, zone: first.engine.zone },
      ),
    )) as string;
    for (let i = 0; i < 100; i++) {
      const done = [...(await outcomesOf(db, tenant.tenantId, taskId)).values()].filter((o) => o.outcome);
      if (done.length >= 2) break;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    await first.stop();
    const [mid] = (await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`select status, lease_owner as owner, lease_until <= now() as lapsed,
        (select count(*)::int from reading_task_meters where task_id = ${taskId} and outcome is not null) as done
        from reading_tasks where id = ${taskId}`),
    )) as unknown as { status: string; owner: string | null; lapsed: boolean; done: number }[];
    expect(mid).toMatchObject({ status: 'running', owner: null, lapsed: true });
    expect(mid.done).toBeGreaterThanOrEqual(2);
    expect(mid.done).toBeLessThan(METERS);
    // the 60 s lease did not have to lapse: the next engine resumes the task on its first tick
    const next = await startTestEngine(t.url, fieldFor([LINE_A], METERS));
    try {
      expect((await next.engine.tick()).resumed).toBe(1);
      expect(await settled(db, tenant.tenantId, taskId)).toBe('done');
      const out = await outcomesOf(db, tenant.tenantId, taskId);
      expect(ids.map((id) => out.get(id)?.outcome)).toEqual(Array(METERS).fill('ok'));
      const counts = await readingCounts(db, tenant.tenantId);
      expect(counts.map((c) => [c.kind, c.n])).toEqual(Array(METERS).fill([1, 1]));
    } finally {
      await next.stop();
    }
  });
});

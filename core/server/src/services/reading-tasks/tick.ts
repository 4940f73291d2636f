import { isAppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { readSystem, withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Logger } from '../../logger.ts';
import type { Zone } from '../readings/zone.ts';
import { slotFrozenFor, type TaskKind } from './kinds.ts';
import { latestSlot } from './schedules.ts';
import { createTask, RUN_QUEUE, type RunJob } from './service.ts';

export interface TickDeps {
  db: Db;
  jobs: Jobs;
  zone: Zone;
  /** the tenants' IANA zone, which crons are evaluated in */
  timeZone: string;
  logger: Logger;
}

interface Due {
  id: string;
  target: 'meter' | 'group' | 'area';
  targetId: string;
  kind: TaskKind;
  cron: string;
  rounds: number;
  since: string;
}

async function activeTenants(db: Db): Promise<string[]> {
  const rows = (await readSystem(db, (d) =>
    d.execute(sql`select id::text as id from tenants where status = 'active' order by id`),
  )) as unknown as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * Creates the task of every schedule slot that came due: per schedule the latest slot at or before
 * `now` that is later than the last one handled (a slot missed while no server ran runs once, on
 * the next tick). The task row's unique (schedule, slot) key makes a slot run once however many
 * server processes tick at the same moment. A slot whose target cannot be read (no meters, target
 * deleted) is recorded as a failed task. Answers how many tasks this call created.
 */
export async function tickSchedules(d: TickDeps, now = Date.now()): Promise<number> {
  let created = 0;
  for (const tenantId of await activeTenants(d.db)) {
    const due = (await withTenant(d.db, tenantId, (tx) =>
      tx.execute(sql`
        select id::text as id, target, target_id::text as "targetId", kind, cron, rounds,
          (extract(epoch from coalesce(last_slot, created_at)) * 1000)::float8::text as since
        from reading_schedules where enabled`),
    )) as unknown as Due[];
    for (const s of due) {
      const slot = latestSlot(s.cron, d.timeZone, now);
      if (slot === null || slot <= Number(s.since)) continue;
      const at = new Date(slot).toISOString();
      const schedule = { id: s.id, slot: at, frozenFor: slotFrozenFor(s.kind, slot, d.zone) };
      const input = { target: s.target, kind: s.kind, rounds: s.rounds } as const;
      const target =
        s.target === 'meter'
          ? { ...input, target: 'meter' as const, meterId: s.targetId }
          : s.target === 'group'
            ? { ...input, target: 'group' as const, groupId: s.targetId }
            : { ...input, target: 'area' as const, areaId: s.targetId };
      try {
        const id = await withTenant(d.db, tenantId, async (tx) => {
          const made = await createTask(tx, null, tenantId, target, d, schedule);
          await tx.execute(sql`update reading_schedules set last_slot = greatest(last_slot, ${at}::timestamptz)
            where id = ${s.id}`);
          return made;
        });
        if (id) created++;
      } catch (err) {
        if (!isAppError(err)) throw err;
        await withTenant(d.db, tenantId, async (tx) => {
          await tx.execute(sql`
            insert into reading_tasks (tenant_id, target, target_id, kind, frozen_for, rounds, schedule_id, slot,
              status, error, finished_at)
            values (${tenantId}, ${s.target}, ${s.targetId}, ${s.kind}, ${schedule.frozenFor}, ${s.rounds}, ${s.id},
              ${at}, 'failed', ${err.code}, now())
            on conflict do nothing`);
          await tx.execute(sql`update reading_schedules set last_slot = greatest(last_slot, ${at}::timestamptz)
            where id = ${s.id}`);
        });
        d.logger.warn({ tenantId, scheduleId: s.id, code: err.code }, 'a scheduled reading could not start');
      }
    }
  }
  return created;
}

/**
 * Tasks whose runner went away (its lease lapsed: the process was killed) get a new run job; the
 * next runner claims the lease and resumes them where the database says they stand.
 */
export async function resumeLapsed(d: Pick<TickDeps, 'db' | 'jobs'>): Promise<number> {
  let n = 0;
  for (const tenantId of await activeTenants(d.db)) {
    const lapsed = (await withTenant(d.db, tenantId, (tx) =>
      tx.execute(sql`select id::text as id from reading_tasks
        where status in ('queued', 'running') and lease_until < now()`),
    )) as unknown as { id: string }[];
    for (const t of lapsed) {
      await d.jobs.send<RunJob>(RUN_QUEUE, tenantId, { taskId: t.id });
      n++;
    }
  }
  return n;
}

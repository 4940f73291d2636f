import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Actor } from '../identity/actor.ts';
import type { Zone } from '../readings/zone.ts';
import { checkFrozenFor, type TaskKind } from './kinds.ts';
import { findTask } from './store.ts';
import { addMembers, type Target, targetId } from './targets.ts';

/** The pg-boss queue a task runs on: one job per task (and per resumption). */
export const RUN_QUEUE = 'reading-tasks.run';

export interface RunJob {
  taskId: string;
}

export type TaskInput = Target & {
  kind: TaskKind;
  frozenFor?: string;
  /** retry rounds (补抄) after the first pass; default 3 */
  rounds?: number;
  /** real-time reads that fail every round fall back to the day's frozen value; default true */
  fallback?: boolean;
};

export interface CreateContext {
  jobs: Jobs;
  zone: Zone;
  now?: number;
}

/**
 * Creates a task with its member rows and enqueues its run in the same transaction, so the task
 * exists exactly when its job does. `actor` null: a schedule's slot (with `schedule`).
 */
export async function createTask(
  tx: Tx,
  actor: Actor | null,
  tenantId: string,
  input: TaskInput,
  c: CreateContext,
  schedule?: { id: string; slot: string; frozenFor: string | null },
): Promise<string | null> {
  const frozenFor = schedule
    ? schedule.frozenFor
    : checkFrozenFor(input.kind, input.frozenFor, c.zone, c.now ?? Date.now());
  const rows = (await tx.execute(sql`
    insert into reading_tasks (tenant_id, target, target_id, kind, frozen_for, rounds, fallback,
      schedule_id, slot, created_by, created_by_name)
    values (${tenantId}, ${input.target}, ${targetId(input)}, ${input.kind}, ${frozenFor}, ${input.rounds ?? 3},
      ${input.fallback ?? true}, ${schedule?.id ?? null}, ${schedule?.slot ?? null}, ${actor?.id ?? null},
      ${actor ? actor.displayName || actor.name : ''})
    on conflict do nothing returning id::text as id`)) as unknown as { id: string }[];
  if (rows.length === 0) return null;
  const id = rows[0].id;
  await addMembers(tx, actor, id, input);
  await c.jobs.send<RunJob>(RUN_QUEUE, tenantId, { taskId: id }, { tx });
  return id;
}

/** Failed meters of a finished task read again (补抄): they go back to pending and the task runs again. */
export async function retryTask(tx: Tx, actor: Actor, tenantId: string, id: string, jobs: Jobs) {
  const task = await findTask(tx, actor, id);
  if (task.status !== 'done' && task.status !== 'failed')
    throw new AppError('READING_TASK_BUSY', 'The task is still running; retry when it has finished', { id });
  const scope = actor.areaScope
    ? sql`and exists (select 1 from areas a where a.id = tm.area_id and a.path && ${uuidArray(actor.areaScope)})`
    : sql``;
  const res = await tx.execute(sql`
    update reading_task_meters tm set outcome = null, detail = null, attempts = 0, updated_at = now()
    where tm.task_id = ${id} and tm.outcome is not null
      and tm.outcome not in ('ok', 'pushed', 'fallback_daily') ${scope}`);
  if (res.count === 0) return { retried: 0 };
  await tx.execute(sql`
    update reading_tasks set status = 'queued', round = 0, finished_at = null, error = null,
      lease_owner = null, lease_until = null where id = ${id}`);
  await jobs.send<RunJob>(RUN_QUEUE, tenantId, { taskId: id }, { tx });
  return { retried: res.count };
}

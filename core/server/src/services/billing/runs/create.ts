import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { Jobs } from '../../../jobs/jobs.ts';
import { getArea } from '../../areas/areas.ts';
import { type Actor, requireWholeTenant } from '../../identity/actor.ts';
import { enqueueRun } from './queue.ts';
import { findRun } from './store.ts';

export interface CreateRunInput {
  areaId: string | null;
  periodFrom: string;
  periodTo: string;
}

const MAX_DAYS = 366;
const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

/**
 * Creates a bill run for an area in the actor's scope (null: the whole tenant, whole-tenant
 * actors only) and enqueues it in the same transaction. One full run per tenant, period and area
 * may be queued or running at a time (bill_runs_active_uq).
 */
export async function createRun(tx: Tx, actor: Actor, input: CreateRunInput, jobs: Jobs): Promise<string> {
  const span = day(input.periodTo) - day(input.periodFrom);
  if (!(span > 0 && span <= MAX_DAYS))
    throw new AppError('BILL_RUN_PERIOD_INVALID', `periodTo must follow periodFrom by 1–${MAX_DAYS} days`);
  if (input.areaId === null) requireWholeTenant(actor);
  else await getArea(tx, actor, input.areaId);
  const rows = (await tx.execute(sql`
    insert into bill_runs (tenant_id, area_id, period_from, period_to, created_by, created_by_name)
    values (app_tenant_id(), ${input.areaId}::uuid, ${input.periodFrom}::date, ${input.periodTo}::date,
      ${actor.kind === 'operator' ? null : actor.id}::uuid, ${actor.displayName || actor.name})
    on conflict (tenant_id, period_from, period_to, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid))
      where status in ('queued', 'running') and not (options ? 'accountIds')
    do nothing returning id::text as id`)) as unknown as { id: string }[];
  if (!rows[0]) throw new AppError('BILL_RUN_BUSY', undefined, input);
  await enqueueRun(jobs, actor.tenantId as string, rows[0].id, tx);
  return rows[0].id;
}

/** Cancels a queued or running run: committed chunks stay billed, no further chunk commits. */
export async function cancelRun(tx: Tx, actor: Actor, id: string): Promise<void> {
  const run = await findRun(tx, actor, id);
  const rows = await tx.execute(sql`update bill_runs set status = 'cancelled', finished_at = now()
    where id = ${run.id} and status in ('queued', 'running') returning 1`);
  if (rows.length === 0)
    throw new AppError('BILL_RUN_NOT_CANCELLABLE', undefined, { id, status: run.status });
}

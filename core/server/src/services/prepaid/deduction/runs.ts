import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client.ts';
import { withTenant } from '../../../db/tenant.ts';
import { DeductionStopped, type DeductOptions, deductDay } from './run.ts';

export interface DeductionRun {
  id: string;
  day: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: { meters?: number; failed?: number; postings?: number; fen?: number };
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const runColumns = sql`r.id::text as id, r.day::text as day, r.status, r.progress, r.error,
  r.created_by::text as "createdBy", r.created_at as "createdAt", r.started_at as "startedAt",
  r.finished_at as "finishedAt"`;

/**
 * The run row of a day, queued: created, or a finished one reopened (running a day again catches
 * up what arrived since; what was posted is subtracted). A run already queued or running is left
 * as it is. Returns the row.
 */
export async function openRun(tx: Tx, day: string, by: string | null): Promise<DeductionRun> {
  const [r] = (await tx.execute(sql`
    with r as (
      insert into prepaid_deduction_runs as r (tenant_id, day, created_by) values (app_tenant_id(), ${day}::date, ${by}::uuid)
      on conflict (tenant_id, day) do update set status = 'queued', error = null, finished_at = null,
        created_by = coalesce(excluded.created_by, r.created_by)
        where r.status in ('done', 'failed')
      returning *
    ) select ${runColumns} from r
    union all
    select ${runColumns} from prepaid_deduction_runs r where r.day = ${day}::date and not exists (select 1 from r)`)) as unknown as DeductionRun[];
  return r;
}

/** Marks the run running (a crashed run is taken again); null when it is gone or finished. */
async function claimRun(tx: Tx, runId: string): Promise<{ day: string; by: string | null } | null> {
  const [r] = (await tx.execute(sql`
    update prepaid_deduction_runs set status = 'running', started_at = coalesce(started_at, now()),
      progress = progress - 'meters' - 'failed'
    where id = ${runId}::uuid and status in ('queued', 'running')
    returning day::text as day, created_by::text as by`)) as unknown as { day: string; by: string | null }[];
  return r ?? null;
}

/**
 * Executes a run to the end. Resumable: a restarted execution scans again and posts only what is
 * not posted yet (the subtraction and the unique keys), so a run killed halfway is simply run again.
 */
export async function executeDeductionRun(
  db: Db,
  tenantId: string,
  runId: string,
  o: DeductOptions = {},
): Promise<boolean> {
  const claimed = await withTenant(db, tenantId, (tx) => claimRun(tx, runId));
  if (!claimed) return false;
  try {
    await deductDay(db, tenantId, claimed.day, { ...o, runId, by: claimed.by });
    await withTenant(db, tenantId, (tx) =>
      tx.execute(sql`update prepaid_deduction_runs set status = 'done', finished_at = now()
        where id = ${runId}::uuid and status = 'running'`),
    );
    return true;
  } catch (e) {
    if (e instanceof DeductionStopped) return false;
    await withTenant(db, tenantId, (tx) =>
      tx.execute(sql`update prepaid_deduction_runs set status = 'failed', finished_at = now(),
        error = ${(e instanceof Error ? e.message : String(e)).slice(0, 2000)}
        where id = ${runId}::uuid and status = 'running'`),
    );
    throw e;
  }
}

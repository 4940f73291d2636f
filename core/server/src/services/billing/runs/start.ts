import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { HoldRules } from './price.ts';
import type { RunScope } from './reads.ts';
import type { RunRow } from './write.ts';

export interface Claimed {
  scope: RunScope;
  run: RunRow;
  rules: HoldRules;
  by: string | null;
  /** the accounts the run covers: null until its first execution staged them (setTotal) */
  total: number | null;
}

interface Row {
  area_id: string | null;
  period_from: string;
  period_to: string;
  options: { accountIds?: string[]; replaces?: string };
  created_by: string | null;
  total: number | null;
  due_date: string;
  hold_estimated: boolean | null;
  hold_missing: boolean | null;
  hold_above_fen: string | null;
}

/**
 * Marks a queued (or, after a crash, still running) run running and reads what the worker needs:
 * scope, the billing settings (defaults when the tenant has no row), the due date. Null when the
 * run is gone, finished or cancelled.
 */
export async function claimRun(tx: Tx, runId: string): Promise<Claimed | null> {
  const [r] = (await tx.execute(sql`
    with run as (
      update bill_runs set status = 'running', started_at = coalesce(started_at, now()), error = null
      where id = ${runId} and status in ('queued', 'running')
      returning area_id::text, period_from::text, period_to::text, options, created_by::text,
        (progress->>'total')::int as total
    )
    select run.*, (current_date + coalesce(s.due_days, 15))::text as due_date, s.hold_estimated,
      s.hold_missing, s.hold_above_fen::text
    from run left join billing_settings s on true`)) as unknown as Row[];
  if (!r) return null;
  const scope: RunScope = {
    runId,
    attemptId: randomUUID(),
    areaId: r.area_id,
    from: r.period_from,
    to: r.period_to,
    accountIds: r.options.accountIds ?? null,
  };
  return {
    scope,
    run: {
      id: runId,
      from: r.period_from,
      to: r.period_to,
      dueDate: r.due_date,
      replaces: r.options.replaces ?? null,
    },
    rules: {
      holdEstimated: r.hold_estimated ?? true,
      holdMissing: r.hold_missing ?? true,
      holdAboveFen: r.hold_above_fen === null ? null : Number(r.hold_above_fen),
    },
    by: r.created_by,
    total: r.total,
  };
}

/**
 * The run's total, set once: the accounts its first execution staged (postpaid on the period's
 * first day, in scope, without a live bill for the period). A second execution staging at the same
 * time waits for the first's row lock, then finds the total set.
 */
export async function setTotal(tx: Tx, runId: string, total: number): Promise<void> {
  await tx.execute(sql`update bill_runs set progress = progress || jsonb_build_object('total', ${total}::int)
    where id = ${runId} and progress->'total' is null`);
}

/** Done: the failure count from its table (exact after any number of restarts). */
export async function finishRun(tx: Tx, runId: string): Promise<void> {
  await tx.execute(sql`
    update bill_runs set status = 'done', finished_at = now(),
      progress = progress || jsonb_build_object('failed',
        (select count(*)::int from bill_run_failures f where f.run_id = ${runId}))
    where id = ${runId} and status = 'running'`);
}

export async function failRun(tx: Tx, runId: string, error: string): Promise<void> {
  await tx.execute(sql`update bill_runs set status = 'failed', finished_at = now(), error = ${error.slice(0, 2000)}
    where id = ${runId} and status = 'running'`);
}

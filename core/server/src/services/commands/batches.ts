import { AppError, type ControlAction } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Actor } from '../identity/actor.ts';
import { condition, scope } from '../reading-tasks/targets.ts';
import { CUT_ACTIONS, OPPOSITE } from './actions.ts';
import { checkOverride } from './create.ts';
import { kick } from './queue.ts';
import { controlSettings } from './settings.ts';

export type BatchTarget =
  | { target: 'meters'; meterIds: string[] }
  | { target: 'group'; groupId: string }
  | { target: 'area'; areaId: string };

export type BatchInput = BatchTarget & {
  action: ControlAction;
  reason: string;
  params?: Record<string, unknown>;
  priority?: number;
  expiresInMinutes?: number;
  override?: boolean;
};

export interface Preview {
  /** installed meters the batch reaches that take the action (and, for a cut, are not keep-power unless overridden) */
  meters: number;
  customers: number;
  /** keep-power meters a cut leaves out (without override) */
  keepPower: number;
  /** installed meters whose control type does not take the action */
  unsupported: number;
  needsApproval: boolean;
  threshold: number;
}

/** The SQL condition: the meter (alias m) takes the action. */
function fits(action: ControlAction): SQL {
  if (action.startsWith('valve-')) return sql`m.control = 'valve'`;
  if (action.startsWith('relay-') || action === 'prepaid-params') return sql`m.control = 'relay'`;
  return sql`true`;
}

function eligible(action: ControlAction, override: boolean): SQL {
  return CUT_ACTIONS.has(action) && !override ? sql`${fits(action)} and not m.keep_power` : fits(action);
}

async function reached(tx: Tx, actor: Actor, t: BatchTarget): Promise<SQL> {
  return await condition(tx, actor, t);
}

/** What a batch would touch: for the confirmation dialog (how many meters and customers). */
export async function previewBatch(
  tx: Tx,
  actor: Actor,
  input: BatchTarget & { action: ControlAction; override?: boolean },
) {
  const cond = await reached(tx, actor, input);
  const [row] = (await tx.execute(sql`
    select count(*) filter (where ${eligible(input.action, input.override ?? false)})::int as meters,
      count(distinct ac.customer_id) filter (where ${eligible(input.action, input.override ?? false)})::int as customers,
      count(*) filter (where ${fits(input.action)} and m.keep_power)::int as "keepPower",
      count(*) filter (where not (${fits(input.action)}))::int as unsupported
    from meters m join areas a on a.id = m.area_id left join accounts ac on ac.id = m.account_id
    where m.status = 'installed' and ${cond} and ${scope(actor)}`)) as unknown as Omit<
    Preview,
    'needsApproval' | 'threshold'
  >[];
  const threshold = (await controlSettings(tx)).approvalThreshold;
  const cut = CUT_ACTIONS.has(input.action);
  const keepPower = cut && !input.override ? row.keepPower : 0;
  return { ...row, keepPower, needsApproval: cut && row.meters > threshold, threshold } satisfies Preview;
}

/** Queues the commands of a released batch for its member meters (still installed and eligible). */
async function release(tx: Tx, tenantId: string, batchId: string, jobs: Jobs): Promise<number> {
  const [b] = (await tx.execute(sql`
    select action, params, reason, priority, override, requested_by as "requestedBy",
      requested_by_name as "requestedByName", expires_at as "expiresAt"
    from command_batches where id = ${batchId}`)) as unknown as {
    action: ControlAction;
    params: unknown;
    reason: string;
    priority: number;
    override: boolean;
    requestedBy: string | null;
    requestedByName: string;
    expiresAt: Date;
  }[];
  const maxAttempts = (await controlSettings(tx)).maxAttempts;
  const opposite = OPPOSITE[b.action];
  if (opposite)
    await tx.execute(sql`
      update meter_commands set status = 'cancelled', detail = ${`superseded by batch ${batchId}`},
        finished_at = now(), updated_at = now()
      where status = 'queued' and action = ${opposite}
        and meter_id in (select meter_id from command_batch_meters where batch_id = ${batchId})`);
  const res = await tx.execute(sql`
    insert into meter_commands (tenant_id, meter_id, area_id, batch_id, action, params, source, priority, reason,
      requested_by, requested_by_name, override, expires_at, max_attempts)
    select m.tenant_id, m.id, m.area_id, ${batchId}, ${b.action}, ${JSON.stringify(b.params)}::jsonb, 'operator',
      ${b.priority}, ${b.reason}, ${b.requestedBy}, ${b.requestedByName}, ${b.override}, ${new Date(b.expiresAt).toISOString()}::timestamptz, ${maxAttempts}
    from command_batch_meters bm join meters m on m.id = bm.meter_id
    where bm.batch_id = ${batchId} and m.status = 'installed' and ${eligible(b.action, b.override)}`);
  await kick(jobs, tenantId, 'batch released', { tx });
  return res.count;
}

/**
 * Creates a batch over a target: its meters are fixed now (installed, in the requester's areas,
 * taking the action; keep-power meters left out of a cut unless overridden). A cut over more
 * meters than the tenant's threshold waits for a second person's approval; anything else is
 * released at once.
 */
export async function createBatch(tx: Tx, actor: Actor, tenantId: string, input: BatchInput, jobs: Jobs) {
  checkOverride({ actor }, input.override);
  const preview = await previewBatch(tx, actor, input);
  if (preview.meters === 0) throw new AppError('CONTROL_BATCH_EMPTY', undefined, { action: input.action });
  const minutes = input.expiresInMinutes ?? (await controlSettings(tx)).expiryMinutes;
  const targetId = input.target === 'group' ? input.groupId : input.target === 'area' ? input.areaId : null;
  const [row] = (await tx.execute(sql`
    insert into command_batches (tenant_id, action, params, reason, target, target_id, meter_count, customer_count,
      priority, override, expires_at, status, requested_by, requested_by_name)
    values (${tenantId}, ${input.action}, ${JSON.stringify(input.params ?? {})}::jsonb, ${input.reason},
      ${input.target}, ${targetId}, ${preview.meters}, ${preview.customers}, ${input.priority ?? 5},
      ${input.override ?? false}, now() + make_interval(mins => ${minutes}),
      ${preview.needsApproval ? 'pending_approval' : 'released'}, ${actor.id}, ${actor.displayName || actor.name})
    returning id::text as id`)) as unknown as { id: string }[];
  const cond = await reached(tx, actor, input);
  await tx.execute(sql`
    insert into command_batch_meters (tenant_id, batch_id, meter_id)
    select m.tenant_id, ${row.id}::uuid, m.id from meters m join areas a on a.id = m.area_id
    where m.status = 'installed' and ${cond} and ${scope(actor)}
      and ${eligible(input.action, input.override ?? false)}`);
  if (!preview.needsApproval) await release(tx, tenantId, row.id, jobs);
  return row.id;
}

/** Approves or rejects a pending batch (meters.control.approve; never the requester's own). */
export async function decideBatch(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  id: string,
  decision: 'approve' | 'reject' | 'cancel',
  note: string | undefined,
  jobs: Jobs,
): Promise<void> {
  const [b] = (await tx.execute(sql`
    select status, requested_by::text as "requestedBy" from command_batches b
    where id = ${id} and ${batchVisible(actor)} for update`)) as unknown as {
    status: string;
    requestedBy: string | null;
  }[];
  if (!b) throw new AppError('RESOURCE_NOT_FOUND', 'No such batch', { id });
  if (b.status !== 'pending_approval')
    throw new AppError('CONTROL_BATCH_NOT_PENDING', undefined, { id, status: b.status });
  if (decision === 'cancel' && b.requestedBy !== actor.id)
    throw new AppError('AUTH_FORBIDDEN', 'Only the requester may withdraw a batch', { id });
  if (decision !== 'cancel') {
    if (!actor.permissions.has('meters.control.approve'))
      throw new AppError('AUTH_FORBIDDEN', 'Missing permission meters.control.approve', {
        permission: 'meters.control.approve',
      });
    if (b.requestedBy === actor.id) throw new AppError('CONTROL_SELF_APPROVAL', undefined, { id });
  }
  const status = decision === 'approve' ? 'released' : decision === 'reject' ? 'rejected' : 'cancelled';
  await tx.execute(sql`
    update command_batches set status = ${status}, decided_by = ${actor.id},
      decided_by_name = ${actor.displayName || actor.name}, decided_at = now(), decision_note = ${note ?? null}
    where id = ${id}`);
  if (decision === 'approve') await release(tx, tenantId, id, jobs);
}

/**
 * Batches the actor may see: a user scoped to areas sees a batch only when every meter it names is
 * within those areas (a batch reaching beyond them is someone else's to approve).
 */
export function batchVisible(actor: Actor): SQL {
  return actor.areaScope
    ? sql`not exists (select 1 from command_batch_meters bm join meters m on m.id = bm.meter_id
        join areas a on a.id = m.area_id where bm.batch_id = b.id and not (${scope(actor)}))`
    : sql`true`;
}

import { AppError, type ControlAction } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Actor } from '../identity/actor.ts';
import { actionFits, CUT_ACTIONS, OPPOSITE } from './actions.ts';
import { kick } from './queue.ts';
import { controlSettings } from './settings.ts';
import { findCommand, meterInScope } from './store.ts';

export interface CommandInput {
  action: ControlAction;
  reason: string;
  params?: Record<string, unknown>;
  /** 0..9, higher goes first; default 5 */
  priority?: number;
  expiresInMinutes?: number;
  /** a cut on a keep-power meter: needs meters.control.override */
  override?: boolean;
  idempotencyKey?: string;
  source?: 'operator' | 'schedule' | 'prepaid' | 'api';
}

/** Who asks: a user (checked for scope and override) or the platform itself (prepaid policy, schedules). */
export type Requester = { actor: Actor } | { system: string };

const nameOf = (r: Requester) => ('actor' in r ? r.actor.displayName || r.actor.name : r.system);

/** An override needs the permission; without it asking is refused, not quietly ignored. */
export function checkOverride(r: Requester, override: boolean | undefined): void {
  if (!override) return;
  if (!('actor' in r) || !r.actor.permissions.has('meters.control.override'))
    throw new AppError('AUTH_FORBIDDEN', 'Missing permission meters.control.override', {
      permission: 'meters.control.override',
    });
}

/**
 * Queues one command for one meter and wakes the outbox in the same transaction. Refuses a meter
 * outside the requester's areas (not found), one not installed, one whose control type does not
 * take the action, and a cut on a keep-power meter without an override. A queued command of the
 * opposite action is cancelled (superseded). A repeated idempotency key answers the command it
 * made (`created: false`).
 */
export async function createCommand(
  tx: Tx,
  r: Requester,
  tenantId: string,
  meterId: string,
  input: CommandInput,
  jobs: Jobs,
): Promise<{ id: string; created: boolean }> {
  const actor = 'actor' in r ? r.actor : null;
  checkOverride(r, input.override);
  if (input.idempotencyKey) {
    const [seen] = (await tx.execute(sql`
      select id::text as id, meter_id::text as "meterId", action from meter_commands
      where idempotency_key = ${input.idempotencyKey}`)) as unknown as {
      id: string;
      meterId: string;
      action: string;
    }[];
    if (seen) {
      if (seen.meterId !== meterId || seen.action !== input.action)
        throw new AppError('CONTROL_IDEMPOTENCY_CONFLICT', undefined, {
          idempotencyKey: input.idempotencyKey,
        });
      await findCommand(tx, actor, seen.id);
      return { id: seen.id, created: false };
    }
  }
  // the meter row is locked: commands for one meter are queued one after another
  const [meter] = (await tx.execute(sql`
    select m.id::text as id, m.status, m.control, m.keep_power as "keepPower", m.area_id::text as "areaId"
    from meters m where m.id = ${meterId} and ${meterInScope(actor)}
    for update of m`)) as unknown as {
    id: string;
    status: string;
    control: string;
    keepPower: boolean;
    areaId: string;
  }[];
  if (!meter) throw new AppError('RESOURCE_NOT_FOUND', 'No such meter', { id: meterId });
  if (meter.status !== 'installed')
    throw new AppError('METER_STATE_INVALID', 'Only installed meters take commands', { id: meterId });
  if (!actionFits(input.action, meter.control))
    throw new AppError('CONTROL_ACTION_UNSUPPORTED', undefined, {
      id: meterId,
      action: input.action,
      control: meter.control,
    });
  if (CUT_ACTIONS.has(input.action) && meter.keepPower && !input.override)
    throw new AppError('CONTROL_KEEP_POWER', undefined, { id: meterId });
  const settings = await controlSettings(tx);
  const minutes = input.expiresInMinutes ?? settings.expiryMinutes;
  const [row] = (await tx.execute(sql`
    insert into meter_commands (tenant_id, meter_id, area_id, action, params, source, priority, reason,
      requested_by, requested_by_name, override, idempotency_key, expires_at, max_attempts)
    values (${tenantId}, ${meterId}, ${meter.areaId}, ${input.action}, ${JSON.stringify(input.params ?? {})}::jsonb,
      ${input.source ?? (actor?.kind === 'token' || !actor ? 'api' : 'operator')}, ${input.priority ?? 5}, ${input.reason},
      ${actor?.id ?? null}, ${nameOf(r)}, ${input.override ?? false}, ${input.idempotencyKey ?? null},
      now() + make_interval(mins => ${minutes}), ${settings.maxAttempts})
    returning id::text as id`)) as unknown as { id: string }[];
  const opposite = OPPOSITE[input.action];
  if (opposite)
    await tx.execute(sql`
      update meter_commands set status = 'cancelled', detail = ${`superseded by ${row.id}`},
        finished_at = now(), updated_at = now()
      where meter_id = ${meterId} and status = 'queued' and action = ${opposite}`);
  await kick(jobs, tenantId, 'created', { tx });
  return { id: row.id, created: true };
}

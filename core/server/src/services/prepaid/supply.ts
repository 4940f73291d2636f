import { AppError, type ControlAction } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { createCommand } from '../commands/create.ts';
import type { CommandOutcome } from './machine.ts';

const ACTIONS: Record<'cut' | 'reconnect', Record<string, ControlAction>> = {
  cut: { relay: 'relay-trip', valve: 'valve-close' },
  reconnect: { relay: 'relay-close', valve: 'valve-open' },
};

export interface Issued {
  commandIds: string[];
  /** meters left out: keep-power (保电) meters refuse a cut */
  skipped: { meterId: string; code: string }[];
}

/**
 * Sends the account's cut or reconnect through the command outbox: one command per installed
 * meter of the account that has a relay or a valve, source `prepaid`, never overriding keep-power.
 * The idempotency key ties each command to the account's event sequence, so a retried evaluation
 * answers the commands it made.
 */
export async function issueSupply(
  tx: Tx,
  jobs: Jobs,
  tenantId: string,
  accountId: string,
  what: 'cut' | 'reconnect',
  seq: number,
  attempt: number,
): Promise<Issued> {
  const meters = await tx.execute<{ id: string; control: string }>(sql`
    select id::text as id, control from meters
    where account_id = ${accountId} and status = 'installed' and control in ('relay', 'valve') order by id`);
  const out: Issued = { commandIds: [], skipped: [] };
  for (const m of meters) {
    try {
      const made = await createCommand(
        tx,
        { system: 'prepaid' },
        tenantId,
        m.id,
        {
          action: ACTIONS[what][m.control],
          reason: what === 'cut' ? 'prepaid: balance exhausted' : 'prepaid: balance restored',
          source: 'prepaid',
          priority: what === 'reconnect' ? 8 : 6,
          idempotencyKey: `prepaid:${accountId}:${seq}:${what}:${attempt}:${m.id}`,
        },
        jobs,
      );
      out.commandIds.push(made.id);
    } catch (err) {
      // refused before anything was written (keep-power meter): leave the meter out
      if (err instanceof AppError && err.code === 'CONTROL_KEEP_POWER')
        out.skipped.push({ meterId: m.id, code: err.code });
      else throw err;
    }
  }
  return out;
}

/** How the commands stand: all confirmed, any ended otherwise (failed), or some still open. */
export async function outcomeOf(tx: Tx, ids: readonly string[]): Promise<CommandOutcome> {
  if (ids.length === 0) return 'none';
  const rows = await tx.execute<{ status: string }>(sql`
    select status from meter_commands where id = any(${`{${ids.join(',')}}`}::uuid[])`);
  if (rows.some((r) => ['failed', 'expired', 'cancelled'].includes(r.status))) return 'failed';
  if (rows.length === ids.length && rows.every((r) => r.status === 'confirmed')) return 'confirmed';
  return 'pending';
}

/** The first failure's code and detail, for the operator. */
export async function failureOf(tx: Tx, ids: readonly string[]): Promise<string | null> {
  if (ids.length === 0) return null;
  const [r] = await tx.execute<{ e: string }>(sql`
    select concat_ws(': ', coalesce(error_code, status), detail) as e from meter_commands
    where id = any(${`{${ids.join(',')}}`}::uuid[]) and status in ('failed', 'expired', 'cancelled') limit 1`);
  return r?.e ?? null;
}

/** Withdraws the account's commands still queued (keep-power switched on before a cut went out). */
export async function cancelQueued(tx: Tx, ids: readonly string[], why: string): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await tx.execute(sql`
    update meter_commands set status = 'cancelled', detail = ${why}, finished_at = now(), updated_at = now()
    where id = any(${`{${ids.join(',')}}`}::uuid[]) and status = 'queued' returning id`);
  return rows.length;
}

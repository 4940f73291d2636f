import type { ControlAction, ControlState } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';

/** How a sent command ends. */
export type Settlement =
  | { status: 'confirmed'; verified: boolean; state?: ControlState; detail?: string }
  | { status: 'failed' | 'expired'; code: string; detail?: string };

/**
 * Ends a command that is in flight (`sent`): confirmed (read back, or acknowledged unverified),
 * failed or expired. A confirmed keep-power command sets the meter's keep-power flag (cleared by
 * keep-power-clear). Answers false when the command had already ended (a repeated report).
 */
export async function settle(tx: Tx, id: string, s: Settlement): Promise<boolean> {
  const rows = (await tx.execute(sql`
    update meter_commands set status = ${s.status},
      verified = ${s.status === 'confirmed' ? s.verified : null},
      state = ${s.status === 'confirmed' && s.state ? JSON.stringify(s.state) : null}::jsonb,
      error_code = ${s.status === 'confirmed' ? null : s.code},
      detail = ${s.detail ?? (s.status === 'confirmed' && !s.verified ? 'acknowledged, unverified' : null)},
      awaiting = false, lease_owner = null, lease_until = null,
      finished_at = now(), updated_at = now()
    where id = ${id} and status = 'sent'
    returning meter_id::text as "meterId", action`)) as unknown as {
    meterId: string;
    action: ControlAction;
  }[];
  const row = rows[0];
  if (!row) return false;
  if (s.status === 'confirmed' && (row.action === 'keep-power' || row.action === 'keep-power-clear'))
    await tx.execute(
      sql`update meters set keep_power = ${row.action === 'keep-power'}, updated_at = now() where id = ${row.meterId}`,
    );
  return true;
}

/**
 * A failed delivery that may be tried again: back to `queued` after `backoffMs · 2^(attempts−1)`,
 * unless its attempts are spent (then failed). Answers when it runs next, or null when it failed.
 */
export async function retryLater(
  tx: Tx,
  id: string,
  failure: { code: string; detail?: string },
  backoffMs: number,
): Promise<Date | null> {
  const rows = (await tx.execute(sql`
    update meter_commands set status = 'queued', awaiting = false, lease_owner = null, lease_until = null,
      platform_ref = null, error_code = ${failure.code}, detail = ${failure.detail ?? null},
      next_attempt_at = now() + make_interval(secs => ${backoffMs / 1000} * power(2, greatest(attempts - 1, 0))),
      updated_at = now()
    where id = ${id} and status = 'sent' and attempts < max_attempts
    returning next_attempt_at as "next"`)) as unknown as { next: Date | string }[];
  if (rows[0]) return new Date(rows[0].next);
  await settle(tx, id, { status: 'failed', ...failure });
  return null;
}

import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { evaluateAccount, type PrepaidDeps } from './evaluate.ts';
import { isPrepaid, lockPrepaid, type PrepaidRow } from './store.ts';
import { cancelQueued } from './supply.ts';

async function record(
  tx: Tx,
  tenantId: string,
  row: PrepaidRow,
  kind: string,
  balanceFen: number,
  detail = {},
) {
  await tx.execute(sql`
    insert into prepaid_events (tenant_id, account_id, seq, kind, from_state, to_state, balance_fen, detail)
    values (${tenantId}, ${row.accountId}, ${row.seq + 1}, ${kind}, ${row.state}, ${row.state}, ${balanceFen},
      ${JSON.stringify(detail)}::jsonb)`);
  await tx.execute(sql`update prepaid_accounts set seq = seq + 1 where account_id = ${row.accountId}`);
}

async function lockPrepaidAccount(tx: Tx, tenantId: string, accountId: string): Promise<PrepaidRow> {
  if (!(await isPrepaid(tx, accountId)))
    throw new AppError('PREPAID_NOT_PREPAID', undefined, { id: accountId });
  return await lockPrepaid(tx, tenantId, accountId);
}

/**
 * Manual keep-power (保电) for a prepaid account: on, no cut is ever sent (a cut not yet sent is
 * withdrawn from the outbox); off, the account is evaluated again at once (a pending cut then waits
 * for the end of any protection window). Recorded as an event; a repeat of the same value is a no-op.
 */
export async function setKeepPower(
  tx: Tx,
  d: PrepaidDeps,
  tenantId: string,
  accountId: string,
  on: boolean,
  by: string,
  now = Date.now(),
): Promise<boolean> {
  const row = await lockPrepaidAccount(tx, tenantId, accountId);
  if (row.keepPower === on) return false;
  await tx.execute(sql`update prepaid_accounts set keep_power = ${on} where account_id = ${accountId}`);
  if (on && row.state === 'cut_pending' && row.commandIds.length) {
    const n = await cancelQueued(tx, row.commandIds, 'prepaid: keep-power switched on');
    if (n > 0)
      await tx.execute(sql`update prepaid_accounts set command_ids = '{}', command_status = 'none', cut_due_at = null
        where account_id = ${accountId} and not exists (select 1 from meter_commands c
          where c.id = any(command_ids) and c.status in ('sent', 'confirmed'))`);
  }
  await record(tx, tenantId, row, on ? 'keep-power-on' : 'keep-power-off', row.balanceFen, { by });
  await evaluateAccount(tx, d, tenantId, accountId, now);
  return true;
}

/** An operator retries a failed cut or reconnect: the commands are sent again (new idempotency keys). */
export async function retrySupply(
  tx: Tx,
  d: PrepaidDeps,
  tenantId: string,
  accountId: string,
  by: string,
  now = Date.now(),
): Promise<void> {
  const row = await lockPrepaidAccount(tx, tenantId, accountId);
  if (row.commandStatus !== 'failed')
    throw new AppError('PREPAID_NOTHING_TO_RETRY', undefined, { id: accountId });
  await record(tx, tenantId, row, 'retry', row.balanceFen, { by });
  // cut_pending: due now (still subject to protection); reconnect_pending: back to cut, which reconnects
  await tx.execute(sql`
    update prepaid_accounts set command_ids = '{}', command_status = 'none', command_error = null,
      cut_due_at = case when state = 'cut_pending' then ${new Date(now).toISOString()}::timestamptz end,
      state = case when state = 'reconnect_pending' then 'cut' else state end
    where account_id = ${accountId}`);
  await evaluateAccount(tx, d, tenantId, accountId, now);
}

/** Puts the account into a policy group (null: none), then evaluates it under the new policy. */
export async function assignGroup(
  tx: Tx,
  d: PrepaidDeps,
  tenantId: string,
  accountId: string,
  groupId: string | null,
  now = Date.now(),
): Promise<void> {
  await lockPrepaidAccount(tx, tenantId, accountId);
  if (groupId) {
    const [g] = await tx.execute(sql`select 1 from prepaid_groups where id = ${groupId}`);
    if (!g) throw new AppError('RESOURCE_NOT_FOUND', 'No such prepaid group', { id: groupId });
  }
  await tx.execute(sql`update prepaid_accounts set group_id = ${groupId} where account_id = ${accountId}`);
  await evaluateAccount(tx, d, tenantId, accountId, now);
}

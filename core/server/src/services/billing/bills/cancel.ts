import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { Jobs } from '../../../jobs/jobs.ts';
import type { Actor } from '../../identity/actor.ts';
import { allocate } from '../ledger/index.ts';
import { reverseBillEntries } from './ledger-rows.ts';
import { type BillHead, findBillHead, stateInvalid } from './scope.ts';

/** The bill-run queue h-billrun's engine works (payload { tenantId, runId }). */
export const BILL_RUN_QUEUE = 'billing.run';

export interface Cancelled {
  head: BillHead;
  reversals: number;
}

/**
 * Cancels a held or issued bill: each of its ledger entries not reversed yet gets its reversal
 * (`rev:<entry id>`, dated today), and the bill becomes cancelled with the reason. Its late fees
 * are reversed with it, and the account is allocated again (the credit the charges had taken now
 * settles the account's other open debits). A cancelled bill cannot be cancelled again (BILL_STATE_INVALID).
 */
export async function cancelBill(
  tx: Tx,
  actor: Actor,
  id: string,
  reason: string,
  today: string,
): Promise<Cancelled> {
  const head = await findBillHead(tx, actor, id, true);
  if (head.status === 'cancelled') throw stateInvalid(id, head.status, ['held', 'issued']);
  const reversals = await reverseBillEntries(tx, id, today, actor.id, reason);
  await tx.execute(sql`update bills set status = 'cancelled', cancelled_at = now(), cancel_reason = ${reason}
    where id = ${id}`);
  // what the bill's charges had taken from payments is free credit again: settle other debits with it
  if (reversals > 0) await allocate(tx, head.accountId, { asOf: today });
  return { head, reversals };
}

export interface Rebilled extends Cancelled {
  runId: string;
}

/**
 * Re-bills: cancels the bill, then creates a bill run for the same account and period with
 * options { accountIds: [account], replaces: bill } and enqueues `billing.run` in the same
 * transaction, so the run exists exactly when the cancellation commits.
 */
export async function rebill(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  jobs: Jobs,
  id: string,
  reason: string,
  today: string,
): Promise<Rebilled> {
  const c = await cancelBill(tx, actor, id, reason, today);
  const [run] = await tx.execute<{ id: string }>(sql`
    insert into bill_runs (tenant_id, area_id, period_from, period_to, options, created_by, created_by_name)
    values (app_tenant_id(), ${c.head.areaId}, ${c.head.periodFrom}::date, ${c.head.periodTo}::date,
      ${JSON.stringify({ accountIds: [c.head.accountId], replaces: id, reason })}::jsonb,
      ${actor.kind === 'user' ? actor.id : null}, ${actor.displayName || actor.name})
    returning id::text as id`);
  await jobs.send(BILL_RUN_QUEUE, tenantId, { tenantId, runId: run.id }, { tx });
  return { ...c, runId: run.id };
}

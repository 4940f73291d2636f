import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import type { Actor } from '../../identity/actor.ts';
import { issueBills } from './issue.ts';
import { billVisible } from './scope.ts';

export interface ApprovedBill {
  id: string;
  areaPath: string[];
  dueDate: string;
}

/**
 * Approves held bills: all of `ids` must be bills the actor may see (else RESOURCE_NOT_FOUND naming
 * the missing ones, nothing changed) and held (else BILL_STATE_INVALID naming the others). A bill
 * without a due date gets today + billing_settings.due_days; then issueBills posts the charges.
 */
export async function approveBills(
  tx: Tx,
  actor: Actor,
  ids: readonly string[],
  today: string,
): Promise<ApprovedBill[]> {
  const unique = [...new Set(ids)];
  const rows = (await tx.execute(sql`
    select b.id::text as id, b.status from bills b
    where b.id = any(${uuidArray(unique)}) and ${billVisible(actor)}
    order by b.id for update of b`)) as unknown as { id: string; status: string }[];
  const seen = new Set(rows.map((r) => r.id));
  const missing = unique.filter((id) => !seen.has(id));
  if (missing.length) throw new AppError('RESOURCE_NOT_FOUND', 'No such bill', { ids: missing });
  const notHeld = rows.filter((r) => r.status !== 'held').map((r) => r.id);
  if (notHeld.length)
    throw new AppError('BILL_STATE_INVALID', 'Only held bills can be approved', {
      ids: notHeld,
      expected: ['held'],
    });
  const approved = (await tx.execute(sql`
    update bills b set due_date = coalesce(b.due_date, ${today}::date
      + coalesce((select s.due_days from billing_settings s), 15)::int)
    where b.id = any(${uuidArray(unique)})
    returning b.id::text as id, b.due_date::text as "dueDate",
      coalesce((select a.path::text[] from areas a where a.id = b.area_id), '{}') as "areaPath"`)) as unknown as ApprovedBill[];
  await issueBills(tx, unique, actor.id);
  return approved;
}

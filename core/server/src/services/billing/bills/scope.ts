import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import type { Actor } from '../../identity/actor.ts';

/** Bills (alias `b`) whose area lies inside a scoped actor's areas; every bill for a tenant-wide actor. */
export function billVisible(actor: Actor): SQL {
  if (!actor.areaScope) return sql`true`;
  return sql`exists (select 1 from areas va where va.id = b.area_id and va.path && ${uuidArray(actor.areaScope)})`;
}

export interface BillHead {
  id: string;
  accountId: string;
  areaId: string;
  areaPath: string[];
  status: 'held' | 'issued' | 'cancelled';
  periodFrom: string;
  periodTo: string;
  runId: string | null;
}

/** The bill if the actor may see it, locked for update when `lock`; else RESOURCE_NOT_FOUND. */
export async function findBillHead(tx: Tx, actor: Actor, id: string, lock = false): Promise<BillHead> {
  const [row] = (await tx.execute(sql`
    select b.id::text as id, b.account_id::text as "accountId", b.area_id::text as "areaId",
      coalesce((select a.path::text[] from areas a where a.id = b.area_id), '{}') as "areaPath",
      b.status, b.period_from::text as "periodFrom", b.period_to::text as "periodTo", b.run_id::text as "runId"
    from bills b where b.id = ${id} and ${billVisible(actor)}
    ${lock ? sql`for update of b` : sql``}`)) as unknown as BillHead[];
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such bill', { id });
  return row;
}

export function stateInvalid(id: string, status: string, expected: string[]): AppError {
  return new AppError('BILL_STATE_INVALID', `The bill is ${status}; this needs ${expected.join(' or ')}`, {
    id,
    status,
    expected,
  });
}

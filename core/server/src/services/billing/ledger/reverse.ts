import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { lockAccount, releaseAllocations } from './allocation-store.ts';
import { entryColumns, type LedgerEntry } from './entry.ts';

export interface ReverseOptions {
  reason: string;
  by: string | null;
  /** the reversal's business date (YYYY-MM-DD); today in the database by default */
  occurredOn?: string;
}

/** One entry by id (within the tenant), or RESOURCE_NOT_FOUND. */
export async function getEntry(tx: Tx, entryId: string): Promise<LedgerEntry> {
  const [row] = await tx.execute<LedgerEntry>(
    sql`select ${entryColumns} from ledger_entries e where e.id = ${entryId}::bigint`,
  );
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such ledger entry', { id: entryId });
  return row;
}

/**
 * Posts the reversal of an entry: −amount, same account and category, key `rev:<id>`. An entry is
 * reversed once (LEDGER_ALREADY_REVERSED) and a reversal never (LEDGER_NOT_REVERSIBLE). Under the
 * account's lock, the allocations of the reversed entry are released: a reversed payment no longer
 * settles anything, and what a reversed charge had taken is free credit again.
 */
export async function reverseEntry(tx: Tx, entryId: string, o: ReverseOptions): Promise<LedgerEntry> {
  const entry = await getEntry(tx, entryId);
  if (entry.kind === 'reversal') throw new AppError('LEDGER_NOT_REVERSIBLE', undefined, { id: entryId });
  await lockAccount(tx, entry.accountId);
  const [done] = await tx.execute<{ id: string }>(
    sql`select id::text from ledger_entries where reverses = ${entryId}::bigint`,
  );
  if (done) throw new AppError('LEDGER_ALREADY_REVERSED', undefined, { id: entryId, reversal: done.id });
  const [made] = await tx.execute<LedgerEntry>(sql`
    with ins as (
      insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, reverses,
        bill_id, payment_id, meter_id, occurred_on, created_by, memo, meta)
      select app_tenant_id(), o.account_id, 'reversal', -o.amount_fen, o.category, 'rev:' || o.id, o.id,
        o.bill_id, o.payment_id, o.meter_id, coalesce(${o.occurredOn ?? null}::date, current_date), ${o.by},
        ${o.reason}, jsonb_build_object('reason', ${o.reason}::text, 'reversedKind', o.kind)
      from ledger_entries o where o.id = ${entryId}::bigint
      on conflict (tenant_id, business_key) do nothing
      returning *
    )
    select ${entryColumns} from ins e`);
  if (!made) throw new AppError('LEDGER_ALREADY_REVERSED', undefined, { id: entryId });
  await releaseAllocations(tx, entry.accountId, [entryId]);
  return made;
}

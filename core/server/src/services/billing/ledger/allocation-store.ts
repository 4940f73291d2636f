import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';

/**
 * Locks the account's balance row until the transaction ends, so allocation, reversal and
 * postings of one account serialise (the balance trigger takes the same row lock on insert).
 * False when the account has no entries yet.
 */
export async function lockAccount(tx: Tx, accountId: string): Promise<boolean> {
  const rows = await tx.execute(
    sql`select 1 from account_balances where account_id = ${accountId} for update`,
  );
  return rows.length > 0;
}

/** Deletes the allocations that involve any of `entryIds` (reversed entries settle nothing). */
export async function releaseAllocations(
  tx: Tx,
  accountId: string,
  entryIds: readonly string[],
): Promise<void> {
  if (entryIds.length === 0) return;
  const ids = `{${entryIds.join(',')}}`;
  await tx.execute(sql`
    delete from ledger_allocations where account_id = ${accountId}
      and (credit_entry_id = any(${ids}::bigint[]) or debit_entry_id = any(${ids}::bigint[]))`);
}

/** Releases the allocations of any entry that has been reversed (by whatever path reversed it). */
export async function releaseReversed(tx: Tx, accountId: string): Promise<void> {
  await tx.execute(sql`
    delete from ledger_allocations a where a.account_id = ${accountId}
      and exists (select 1 from ledger_entries r where r.account_id = ${accountId}
        and r.reverses in (a.credit_entry_id, a.debit_entry_id))`);
}

export type Allocation = {
  creditEntryId: string;
  debitEntryId: string;
  amountFen: number;
};

export async function insertAllocations(
  tx: Tx,
  accountId: string,
  rows: readonly Allocation[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into ledger_allocations (tenant_id, account_id, credit_entry_id, debit_entry_id, amount_fen)
    select app_tenant_id(), ${accountId}, x.c, x.d, x.f
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ c: r.creditEntryId, d: r.debitEntryId, f: r.amountFen })))}::jsonb)
      as x(c bigint, d bigint, f bigint)`);
}

/** The allocations of an account, oldest first. */
export async function allocationsOf(tx: Tx, accountId: string): Promise<Allocation[]> {
  return await tx.execute<Allocation>(sql`
    select credit_entry_id::text as "creditEntryId", debit_entry_id::text as "debitEntryId",
      amount_fen::float8 as "amountFen"
    from ledger_allocations where account_id = ${accountId}
    order by id`);
}

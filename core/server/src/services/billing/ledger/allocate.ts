import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import {
  DEFAULT_ALLOCATION_ORDER,
  type FreeCredit,
  type OpenDebit,
  planAllocation,
  sortCredits,
  sortDebits,
} from './allocation-plan.ts';
import { type Allocation, insertAllocations, lockAccount, releaseReversed } from './allocation-store.ts';

export interface AllocateOptions {
  /** the day arrears are judged on (a bill is in arrears once its due date is before it); today by default */
  asOf?: string;
}

export interface AllocationResult {
  /** the allocations made by this call */
  allocations: Allocation[];
  /** what the account still owes and what credit is left unspent, after this call */
  openFen: number;
  freeCreditFen: number;
}

async function allocationOrder(tx: Tx): Promise<string[]> {
  const [row] = await tx.execute<{ order: string[] }>(
    sql`select allocation_order as order from billing_settings`,
  );
  return row?.order ?? [...DEFAULT_ALLOCATION_ORDER];
}

/**
 * Debits and credits of an account that take part in allocation: neither a reversal nor reversed
 * (an entry and its reversal cancel out, so a reversed charge owes nothing and a reversed payment
 * settles nothing), with what each still owes or holds.
 */
async function pools(tx: Tx, accountId: string, asOf: string | null) {
  const debits = await tx.execute<OpenDebit>(sql`
    select e.id::text as id, e.kind, e.category, e.occurred_on::text as "occurredOn", e.bill_id as "billId",
      b.due_date::text as "dueDate", (-e.amount_fen)::float8 as "amountFen",
      (-e.amount_fen - coalesce((select sum(a.amount_fen) from ledger_allocations a
        where a.debit_entry_id = e.id), 0))::float8 as "openFen",
      case when e.kind = 'late_fee' then 'late_fee'
        when b.due_date < coalesce(${asOf}::date, current_date) then 'arrears'
        else e.category end as bucket
    from ledger_entries e
    left join bills b on b.tenant_id = e.tenant_id and b.id = e.bill_id
    where e.account_id = ${accountId} and e.amount_fen < 0 and e.kind <> 'reversal'
      and not exists (select 1 from ledger_entries r where r.reverses = e.id)`);
  const credits = await tx.execute<FreeCredit>(sql`
    select e.id::text as id, e.occurred_on::text as "occurredOn",
      (e.amount_fen - coalesce((select sum(a.amount_fen) from ledger_allocations a
        where a.credit_entry_id = e.id), 0))::float8 as "freeFen"
    from ledger_entries e
    where e.account_id = ${accountId} and e.amount_fen > 0 and e.kind <> 'reversal'
      and not exists (select 1 from ledger_entries r where r.reverses = e.id)`);
  const order = await allocationOrder(tx);
  return {
    debits: sortDebits(
      debits.filter((d) => d.openFen > 0),
      order,
    ),
    credits: sortCredits(credits.filter((c) => c.freeFen > 0)),
  };
}

const total = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/**
 * Settles the account's open debits from its unspent credits in the tenant's allocation order
 * (arrears → late fees → fixed → usage by default, oldest first within each, unnamed categories
 * last). Runs under the lock of the account's balance row, so concurrent calls for one account
 * take turns and the second finds nothing left to do; calling it again changes nothing.
 */
export async function allocate(
  tx: Tx,
  accountId: string,
  o: AllocateOptions = {},
): Promise<AllocationResult> {
  if (!(await lockAccount(tx, accountId))) return { allocations: [], openFen: 0, freeCreditFen: 0 };
  await releaseReversed(tx, accountId);
  const { debits, credits } = await pools(tx, accountId, o.asOf ?? null);
  const allocations = planAllocation(debits, credits);
  await insertAllocations(tx, accountId, allocations);
  const spent = total(allocations.map((a) => a.amountFen));
  return {
    allocations,
    openFen: total(debits.map((d) => d.openFen)) - spent,
    freeCreditFen: total(credits.map((c) => c.freeFen)) - spent,
  };
}

export type OpenItem = OpenDebit & { settledFen: number };

/** What the account still owes, per debit, in the order a payment would settle it. */
export async function openItems(tx: Tx, accountId: string, o: AllocateOptions = {}): Promise<OpenItem[]> {
  const { debits } = await pools(tx, accountId, o.asOf ?? null);
  return debits.map((d) => ({ ...d, settledFen: d.amountFen - d.openFen }));
}

import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';

export type Balance = {
  balanceFen: number;
  entryCount: number;
};

/** The cached balance of an account (zero before its first entry). */
export async function balanceOf(tx: Tx, accountId: string): Promise<Balance> {
  const [row] = await tx.execute<Balance>(sql`
    select balance_fen::float8 as "balanceFen", entry_count::float8 as "entryCount"
    from account_balances where account_id = ${accountId}`);
  return row ?? { balanceFen: 0, entryCount: 0 };
}

export type LedgerMismatch = {
  accountId: string;
  /** null: the account has entries but no balance row */
  cachedFen: number | null;
  cachedCount: number | null;
  entriesFen: number;
  entriesCount: number;
};

export interface LedgerCheck {
  checkedAccounts: number;
  mismatches: LedgerMismatch[];
}

/**
 * Compares every cached balance (of the tenant, or of `accountIds`) with the sum and count of its
 * entries, and reports where they differ — including accounts with entries but no balance row and
 * balance rows without entries. Read-only; safe to run at any time.
 */
export async function checkLedger(
  tx: Tx,
  opts: { accountIds?: readonly string[] } = {},
): Promise<LedgerCheck> {
  const only = opts.accountIds;
  const filterE = only ? sql`where account_id = any(${uuidArray(only)})` : sql``;
  const filterB = only ? sql`where account_id = any(${uuidArray(only)})` : sql``;
  const rows = await tx.execute<LedgerMismatch & { ok: boolean }>(sql`
    with s as (
      select account_id, sum(amount_fen) as fen, count(*) as n from ledger_entries ${filterE} group by account_id
    ), b as (select account_id, balance_fen, entry_count from account_balances ${filterB})
    select coalesce(s.account_id, b.account_id) as "accountId",
      b.balance_fen::float8 as "cachedFen", b.entry_count::float8 as "cachedCount",
      coalesce(s.fen, 0)::float8 as "entriesFen", coalesce(s.n, 0)::float8 as "entriesCount",
      (b.account_id is not null and b.balance_fen = coalesce(s.fen, 0) and b.entry_count = coalesce(s.n, 0)) as ok
    from s full join b on b.account_id = s.account_id
    order by 1`);
  return {
    checkedAccounts: rows.length,
    mismatches: rows.filter((r) => !r.ok).map(({ ok: _ok, ...m }) => m),
  };
}

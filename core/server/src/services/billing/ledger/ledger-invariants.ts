import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Tx } from '../../../db/client.ts';
import { balanceOf, checkLedger } from './balance.ts';

type Side = {
  id: string;
  accountId: string;
  fen: number;
  allocated: number;
  reversed: boolean;
};

/** Debits and credits of the accounts (reversals left out) with what allocations took from each. */
async function sides(tx: Tx, accountIds: readonly string[]) {
  const rows = await tx.execute<Side & { debit: boolean }>(sql`
    select e.id::text as id, e.account_id as "accountId", abs(e.amount_fen)::float8 as fen, e.amount_fen < 0 as debit,
      exists (select 1 from ledger_entries r where r.reverses = e.id) as reversed,
      coalesce((select sum(a.amount_fen) from ledger_allocations a
        where a.debit_entry_id = e.id or a.credit_entry_id = e.id), 0)::float8 as allocated
    from ledger_entries e
    where e.account_id in (select jsonb_array_elements_text(${JSON.stringify(accountIds)}::jsonb)::uuid)
      and e.kind <> 'reversal'`);
  return { debits: rows.filter((r) => r.debit), credits: rows.filter((r) => !r.debit) };
}

/**
 * What must hold for any history of an account, checked against the database: the cached balance
 * equals the sum of the entries and the model's; the consistency check is clean; no debit is
 * settled beyond what it owes, no credit spent beyond what it holds, reversed entries take part in
 * no allocation; and, after a final allocate, the account either owes nothing or has no credit left,
 * with free credit − open debits = balance.
 */
export async function expectLedgerInvariants(
  tx: Tx,
  expected: ReadonlyMap<string, { fen: number; count: number }>,
) {
  const ids = [...expected.keys()];
  for (const [id, m] of expected)
    expect(await balanceOf(tx, id)).toEqual({ balanceFen: m.fen, entryCount: m.count });
  expect((await checkLedger(tx, { accountIds: ids })).mismatches).toEqual([]);
  const { debits, credits } = await sides(tx, ids);
  for (const s of [...debits, ...credits]) {
    expect(s.allocated).toBeLessThanOrEqual(s.fen);
    if (s.reversed) expect(s.allocated).toBe(0);
  }
  for (const id of ids) {
    const live = (xs: Side[]) => xs.filter((s) => s.accountId === id && !s.reversed);
    const open = live(debits).reduce((n, d) => n + d.fen - d.allocated, 0);
    const free = live(credits).reduce((n, c) => n + c.fen - c.allocated, 0);
    expect(open === 0 || free === 0).toBe(true);
    expect(free - open).toBe(expected.get(id)?.fen);
  }
}

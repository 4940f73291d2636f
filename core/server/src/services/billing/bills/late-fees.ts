import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import { allocate } from '../ledger/index.ts';
import { DEFAULT_LATE_FEE_POLICY, type LateFeePolicy, lateFeesDue } from './late-fee-rule.ts';
import { type LateFeePosting, postLateFees } from './ledger-rows.ts';
import { unpaidOf } from './unpaid.ts';

/** Bills examined per round. */
const CHUNK = 500;

/** The tenant's late-fee policy (billing_settings), or the defaults when it has none. */
export async function lateFeePolicy(tx: Tx): Promise<LateFeePolicy> {
  const [row] = (await tx.execute(sql`
    select late_fee_per_mille_per_day::text as "perMillePerDay", late_fee_grace_days as "graceDays",
      late_fee_cap_percent::text as "capPercent", late_fee_min_fen::int as "minFen"
    from billing_settings`)) as unknown as LateFeePolicy[];
  return row ?? DEFAULT_LATE_FEE_POLICY;
}

interface Candidate {
  id: string;
  accountId: string;
  dueDate: string;
}

/**
 * Posts the late fees of the tenant's overdue bills up to `today` (the tenant's calendar day): every
 * issued bill past due date + grace days with unpaid principal gets one `late_fee` entry per day
 * not charged before. Re-running, or a run after missed days, never charges a day twice (the
 * business key `late:<bill>:<day>`). The accounts of the overdue bills are allocated first, so credit
 * an account already held when its bill was issued settles it before a fee is judged. The bills are share-locked, so a cancellation cannot commit in
 * between; a bill being cancelled or adjusted right now is skipped and caught up on the next run.
 * Answers the entries written.
 */
export async function runLateFees(tx: Tx, today: string): Promise<number> {
  const policy = await lateFeePolicy(tx);
  let written = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const bills = (await tx.execute(sql`
      select id::text as id, account_id::text as "accountId", due_date::text as "dueDate"
      from bills
      where status = 'issued' and due_date is not null
        and due_date + ${policy.graceDays}::int < ${today}::date and id > ${after}::uuid
      order by id limit ${CHUNK}
      for share skip locked`)) as unknown as Candidate[];
    if (bills.length === 0) return written;
    after = bills[bills.length - 1].id;
    const ids = bills.map((b) => b.id);
    // issuing does not allocate: settle new debits from credit the accounts already hold (prepaid)
    for (const a of new Set(bills.map((b) => b.accountId))) await allocate(tx, a, { asOf: today });
    const dues = await unpaidOf(tx, ids);
    const charged = await chargedDays(tx, ids);
    const fees: LateFeePosting[] = [];
    for (const b of bills) {
      const due = dues.get(b.id);
      if (!due) continue;
      const days = lateFeesDue(
        {
          dueDate: b.dueDate,
          principalFen: due.principalFen,
          unpaidPrincipalFen: due.unpaidPrincipalFen,
          lateSoFarFen: due.lateFeesFen,
          chargedDays: charged.get(b.id) ?? new Set(),
        },
        today,
        policy,
      );
      for (const d of days) fees.push({ billId: b.id, accountId: b.accountId, day: d.day, fen: d.fen });
    }
    written += await postLateFees(tx, fees);
    if (bills.length < CHUNK) return written;
  }
}

/** The days each bill was charged a late fee on (reversed or not). */
async function chargedDays(tx: Tx, billIds: string[]): Promise<Map<string, Set<string>>> {
  const rows = (await tx.execute(sql`
    select bill_id::text as "billId", occurred_on::text as day from ledger_entries
    where bill_id = any(${uuidArray(billIds)}) and kind = 'late_fee'`)) as unknown as {
    billId: string;
    day: string;
  }[];
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    const s = out.get(r.billId) ?? new Set<string>();
    s.add(r.day);
    out.set(r.billId, s);
  }
  return out;
}

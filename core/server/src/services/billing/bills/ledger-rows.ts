import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { postEntries, reverseEntry } from '../ledger/index.ts';

/**
 * The ledger postings the bill review needs, through the one ledger service with their documented
 * business keys (`rev:<entry id>`, `late:<bill id>:<day>`, `adj:<uuid>`): a retried call posts
 * nothing twice.
 */

/**
 * Reverses every entry of the bill not yet reversed (`rev:<entry id>`), releasing what each had
 * settled or taken; answers how many were written.
 */
export async function reverseBillEntries(
  tx: Tx,
  billId: string,
  on: string,
  by: string | null,
  memo: string,
): Promise<number> {
  const open = await tx.execute<{ id: string }>(sql`
    select e.id::text as id from ledger_entries e
    where e.bill_id = ${billId} and e.kind <> 'reversal'
      and not exists (select 1 from ledger_entries r where r.reverses = e.id)
    order by e.id`);
  for (const e of open) await reverseEntry(tx, e.id, { reason: memo, by, occurredOn: on });
  return open.length;
}

export interface LateFeePosting {
  billId: string;
  accountId: string;
  day: string;
  fen: number;
}

/** One late-fee entry per bill and day (`late:<bill id>:<yyyy-mm-dd>`); answers the entries written. */
export async function postLateFees(tx: Tx, fees: readonly LateFeePosting[]): Promise<number> {
  const posted = await postEntries(
    tx,
    fees.map((f) => ({
      accountId: f.accountId,
      kind: 'late_fee' as const,
      amountFen: -f.fen,
      category: 'late_fee',
      businessKey: `late:${f.billId}:${f.day}`,
      billId: f.billId,
      occurredOn: f.day,
    })),
  );
  return posted.filter((p) => p.created).length;
}

export interface AdjustmentPosting {
  billId: string;
  accountId: string;
  /** what the customer owes more (positive) or less (negative), in fen */
  amountFen: number;
  on: string;
  by: string | null;
  reason: string;
}

/** An adjustment on a bill (`adj:<uuid>`): the ledger amount is the negated charge. Answers its id. */
export async function postAdjustment(tx: Tx, a: AdjustmentPosting): Promise<string> {
  const [entry] = await postEntries(tx, [
    {
      accountId: a.accountId,
      kind: 'adjustment',
      amountFen: -a.amountFen,
      category: 'adjustment',
      businessKey: `adj:${crypto.randomUUID()}`,
      billId: a.billId,
      occurredOn: a.on,
      createdBy: a.by,
      memo: a.reason,
      meta: { reason: a.reason },
    },
  ]);
  return entry.id;
}

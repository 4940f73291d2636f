import type { Allocation } from './allocation-store.ts';

/** A debit (charge, late fee, debit adjustment, refund) with what it still owes. */
export type OpenDebit = {
  id: string;
  kind: string;
  category: string;
  /** what allocation orders it by: arrears, late_fee, or its own category */
  bucket: string;
  occurredOn: string;
  billId: string | null;
  dueDate: string | null;
  /** the debit's size (positive fen) */
  amountFen: number;
  openFen: number;
};

/** A credit (payment, top-up, credit adjustment) with what it has not yet settled. */
export type FreeCredit = {
  id: string;
  occurredOn: string;
  freeFen: number;
};

export const DEFAULT_ALLOCATION_ORDER = ['arrears', 'late_fee', 'fixed', 'usage'] as const;

const byAgeThenId = (a: { occurredOn: string; id: string }, b: { occurredOn: string; id: string }) =>
  a.occurredOn < b.occurredOn
    ? -1
    : a.occurredOn > b.occurredOn
      ? 1
      : BigInt(a.id) < BigInt(b.id)
        ? -1
        : BigInt(a.id) > BigInt(b.id)
          ? 1
          : 0;

/**
 * The rank of a debit under `order`: refunds first (money already paid out of the credit), then the
 * buckets in the tenant's order, then every bucket the order does not name.
 */
export function debitRank(d: Pick<OpenDebit, 'kind' | 'bucket'>, order: readonly string[]): number {
  if (d.kind === 'refund') return -1;
  const i = order.indexOf(d.bucket);
  return i < 0 ? order.length : i;
}

/** Debits in settling order: by rank, then oldest (business date, then id) first. */
export function sortDebits<T extends OpenDebit>(debits: readonly T[], order: readonly string[]): T[] {
  return [...debits].sort((a, b) => debitRank(a, order) - debitRank(b, order) || byAgeThenId(a, b));
}

export function sortCredits<T extends FreeCredit>(credits: readonly T[]): T[] {
  return [...credits].sort(byAgeThenId);
}

/**
 * Settles the debits (in settling order) from the credits (oldest first), greedily: each debit
 * takes from the oldest credit with something left until it is settled or the credit runs out.
 * Never settles more than a debit owes nor spends more than a credit holds.
 */
export function planAllocation(debits: readonly OpenDebit[], credits: readonly FreeCredit[]): Allocation[] {
  const left = credits.map((c) => ({ id: c.id, fen: c.freeFen })).filter((c) => c.fen > 0);
  const out: Allocation[] = [];
  let ci = 0;
  for (const d of debits) {
    let owed = d.openFen;
    while (owed > 0 && ci < left.length) {
      const c = left[ci];
      const fen = Math.min(owed, c.fen);
      out.push({ creditEntryId: c.id, debitEntryId: d.id, amountFen: fen });
      owed -= fen;
      c.fen -= fen;
      if (c.fen === 0) ci++;
    }
    if (ci >= left.length) break;
  }
  return out;
}

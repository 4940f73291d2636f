import type { Tx } from '../../db/client.ts';
import { allocate, postEntries, reverseEntry } from '../billing/ledger/index.ts';

/**
 * The payments' ledger postings, through the one ledger service (services/billing/ledger).
 * Business keys: `pay:<payment id>` for a payment, `rev:<entry id>` for its reversal — unique per
 * tenant, so nothing posts twice. A payment is a credit of kind and category `payment`: allocation
 * ranks debits only, and spends credits oldest first whatever their category.
 */
export async function postPaymentEntry(
  tx: Tx,
  p: {
    accountId: string;
    paymentId: string;
    amountFen: number;
    occurredOn: string;
    /** who took it; null for an online payment settled by the provider's callback */
    by: string | null;
    memo: string;
  },
): Promise<string> {
  const [entry] = await postEntries(tx, [
    {
      accountId: p.accountId,
      kind: 'payment',
      amountFen: p.amountFen,
      category: 'payment',
      businessKey: `pay:${p.paymentId}`,
      paymentId: p.paymentId,
      occurredOn: p.occurredOn,
      createdBy: p.by,
      memo: p.memo,
    },
  ]);
  return entry.id;
}

/**
 * Reverses a payment's ledger entry (`rev:<entry id>`, the negated amount); the ledger releases
 * what the payment had settled, so its debits are open again.
 */
export async function reversePaymentEntry(
  tx: Tx,
  p: { entryId: string; occurredOn: string; by: string; reason: string },
): Promise<string> {
  const entry = await reverseEntry(tx, p.entryId, { reason: p.reason, by: p.by, occurredOn: p.occurredOn });
  return entry.id;
}

/**
 * After a payment or its reversal posts, settles the account's open debits from its credits in
 * the tenant's allocation order, judging arrears on `today` (the tenant's calendar day).
 */
export async function allocateAfterPayment(tx: Tx, accountId: string, today: string): Promise<void> {
  await allocate(tx, accountId, { asOf: today });
}

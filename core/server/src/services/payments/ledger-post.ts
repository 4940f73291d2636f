import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';

/**
 * The payments' own small ledger writes (h-ledger's services/billing/ledger postEntries/
 * reverseEntry replace these when merged). Business keys: `pay:<payment id>` for a payment,
 * `rev:<entry id>` for the reversal of an entry — unique per tenant, so nothing posts twice.
 */
export async function postPaymentEntry(
  tx: Tx,
  p: {
    accountId: string;
    paymentId: string;
    amountFen: bigint;
    occurredOn: string;
    by: string;
    memo: string;
  },
): Promise<string> {
  const [row] = await tx.execute<{ id: string }>(sql`
    insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, payment_id,
      occurred_on, created_by, memo)
    values (app_tenant_id(), ${p.accountId}, 'payment', ${p.amountFen}, 'payment', ${`pay:${p.paymentId}`},
      ${p.paymentId}, ${p.occurredOn}, ${p.by}, ${p.memo})
    returning id::text`);
  return row.id;
}

/** Posts the reversal of a payment's ledger entry (the negated amount, naming what it reverses). */
export async function postPaymentReversal(
  tx: Tx,
  p: {
    accountId: string;
    paymentId: string;
    entryId: string;
    amountFen: bigint;
    occurredOn: string;
    by: string;
    memo: string;
  },
): Promise<string> {
  const [row] = await tx.execute<{ id: string }>(sql`
    insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, reverses,
      payment_id, occurred_on, created_by, memo)
    values (app_tenant_id(), ${p.accountId}, 'reversal', ${-p.amountFen}, 'payment', ${`rev:${p.entryId}`},
      ${p.entryId}::bigint, ${p.paymentId}, ${p.occurredOn}, ${p.by}, ${p.memo})
    returning id::text`);
  return row.id;
}

/**
 * ALLOCATION CALL SITE — after a payment or its reversal posts, the account's open debits are
 * settled from its credits by h-ledger's `allocate(tx, accountId)` (services/billing/ledger),
 * which is not on main yet. The lead wires it here; until then allocation does not run.
 */
export async function allocateAfterPayment(_tx: Tx, _accountId: string): Promise<void> {}

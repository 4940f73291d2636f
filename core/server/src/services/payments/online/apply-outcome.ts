import { AppError, type PaymentOutcome } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { creditOrder } from './credit.ts';
import type { OrderRow } from './order-dto.ts';
import type { OnlineProvider } from './providers.ts';
import { sendRefund } from './refund-send.ts';

/** What a provider's verdict did to an order. */
export type Applied =
  | 'credited'
  | 'late_credited'
  | 'late_refunded'
  | 'already'
  | 'amount_mismatch'
  | 'not_paid';

/** The account cannot take the money: the payment goes back to the payer instead. */
const UNTAKEABLE = new Set(['PAY_ACCOUNT_CLOSED', 'PREPAID_HOARDING_LIMIT']);

/**
 * Applies a verified outcome to an order locked by the caller, exactly once:
 * - not paid: nothing changes;
 * - an amount other than the order's: never credited, the mismatch is recorded on the order for
 *   an operator (the provider is still answered, so it stops retrying);
 * - paid while created/paying: the conditional update turns it paid and the payment and its ledger
 *   entry are posted in the same transaction;
 * - paid after a local close: credited when the account can take it, else refunded at once
 *   (automatic refund, the order ends refunded) — it never vanishes;
 * - already paid or refunded: nothing (a replay).
 */
export async function applyOutcome(
  tx: Tx,
  provider: OnlineProvider,
  tenantId: string,
  order: OrderRow,
  outcome: PaymentOutcome,
  today: string,
): Promise<Applied> {
  if (outcome.status !== 'paid') return 'not_paid';
  if (String(outcome.amountFen) !== order.amount_fen) {
    await tx.execute(sql`update payment_orders set flag = 'amount_mismatch', updated_at = now(),
      flag_detail = ${JSON.stringify({ paidFen: outcome.amountFen, providerTxnId: outcome.providerTxnId, at: new Date().toISOString() })}::jsonb
      where id = ${order.id} and status not in ('paid', 'refunded')`);
    return 'amount_mismatch';
  }
  const paidAt = outcome.paidAt ?? new Date().toISOString();
  // the caller holds the order's row lock, so its status is current
  const late = order.status === 'closed';
  const [turned] = await tx.execute<{ id: string }>(sql`
    update payment_orders set status = 'paid', provider_txn_id = ${outcome.providerTxnId},
      paid_at = ${paidAt}::timestamptz, updated_at = now(),
      flag = case when status = 'closed' then 'late_credited' else flag end
    where id = ${order.id} and status in ('created', 'paying', 'closed')
    returning id`);
  if (!turned) return 'already';
  try {
    // refuses (account closed, hoarding limit) before it writes anything, so no savepoint is needed
    await creditOrder(tx, order, today);
    return late ? 'late_credited' : 'credited';
  } catch (err) {
    if (!(err instanceof AppError) || !UNTAKEABLE.has(err.code)) throw err;
    await tx.execute(sql`update payment_orders set status = 'refunded', refunded_fen = amount_fen,
      flag = 'late_refunded', updated_at = now(),
      flag_detail = ${JSON.stringify({ reason: err.code, at: new Date().toISOString() })}::jsonb
      where id = ${order.id}`);
    await sendRefund(tx, provider, tenantId, order, {
      refundNo: `AUTO${order.order_no}`.slice(0, 64),
      amountFen: BigInt(order.amount_fen),
      reason: err.code === 'PAY_ACCOUNT_CLOSED' ? '账户已销户，自动退款' : '超过预付费囤积上限，自动退款',
      automatic: true,
      by: null,
      today,
    });
    return 'late_refunded';
  }
}

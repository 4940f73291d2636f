import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { checkHoarding } from '../../prepaid/hoarding.ts';
import { allocateAfterPayment, postPaymentEntry } from '../ledger-post.ts';
import { noticePaymentReceived } from '../payment-notice.ts';
import type { OrderRow } from './order-dto.ts';

/** Online provider → the payments row's method. */
const METHOD: Record<string, string> = {
  'payment-wechat': 'wechat',
  'payment-alipay': 'alipay',
  'payment-unionpay': 'unionpay',
};

/**
 * Turns a paid order into a payment: a `payments` row of the provider's method (no shift, key
 * `order:<order id>`) and its ledger entry (`pay:<payment id>`), in the caller's transaction, then
 * allocation and the 缴费成功 notice. PAY_ACCOUNT_CLOSED or PREPAID_HOARDING_LIMIT when the account cannot take it — thrown
 * before anything is written, so the caller's transaction stays usable for the refund instead.
 */
export async function creditOrder(tx: Tx, order: OrderRow, today: string): Promise<string> {
  const method = METHOD[order.provider];
  if (!method) throw new AppError('PAY_PROVIDER_UNKNOWN', undefined, { provider: order.provider });
  const [acct] = await tx.execute<{ status: string }>(
    sql`select status from accounts where id = ${order.account_id}`,
  );
  if (acct?.status !== 'active')
    throw new AppError('PAY_ACCOUNT_CLOSED', undefined, { id: order.account_id });
  await checkHoarding(tx, order.account_id, BigInt(order.amount_fen));
  const [made] = await tx.execute<{ id: string }>(sql`
    insert into payments (tenant_id, account_id, method, amount_fen, change_fen, idempotency_key, cashier_name, note)
    values (app_tenant_id(), ${order.account_id}, ${method}, ${order.amount_fen}::bigint, 0, ${`order:${order.id}`},
      '', ${`${order.order_no}`})
    returning id`);
  const entryId = await postPaymentEntry(tx, {
    accountId: order.account_id,
    paymentId: made.id,
    amountFen: Number(order.amount_fen),
    occurredOn: today,
    by: order.created_by,
    memo: `${method} ${order.order_no}`,
  });
  await tx.execute(sql`update payments set ledger_entry_id = ${entryId}::bigint where id = ${made.id}`);
  await tx.execute(sql`update payment_orders set payment_id = ${made.id} where id = ${order.id}`);
  await allocateAfterPayment(tx, order.account_id, today);
  // the customer's 缴费成功 notice, like a counter payment's, in the same transaction
  await noticePaymentReceived(tx, {
    paymentId: made.id,
    accountId: order.account_id,
    amountFen: BigInt(order.amount_fen),
    occurredOn: today,
  });
  return made.id;
}

import type { Tx } from '../../db/client.ts';
import { balanceOf } from '../billing/ledger/index.ts';
import { enqueueNotice } from '../notify/enqueue.ts';
import { formatYuan } from './rmb-words.ts';

/**
 * Queues the customer's "payment received" notice (缴费成功) for a payment just credited, in the
 * payment's transaction: the notice exists only if the payment commits, and its key
 * `pay:<payment id>` makes a replayed payment add nothing. Answers the outbox rows added.
 */
export async function noticePaymentReceived(
  tx: Tx,
  p: { paymentId: string; accountId: string; amountFen: bigint | number; occurredOn: string },
): Promise<number> {
  const { balanceFen } = await balanceOf(tx, p.accountId);
  return await enqueueNotice(tx, {
    key: `pay:${p.paymentId}`,
    event: 'payment-received',
    accountId: p.accountId,
    vars: {
      date: p.occurredOn,
      amountYuan: formatYuan(p.amountFen),
      balanceYuan: formatYuan(BigInt(balanceFen)),
    },
  });
}

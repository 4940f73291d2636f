import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { postEntries } from '../../billing/ledger/index.ts';
import type { OrderRow } from './order-dto.ts';
import type { OnlineProvider } from './providers.ts';

export interface RefundInput {
  /** our out_refund_no: written before the provider is called, reused on every retry */
  refundNo: string;
  amountFen: bigint;
  reason: string;
  /** a late payment the account could not take: never credited, so nothing to debit */
  automatic: boolean;
  by: string | null;
  today: string;
}

/**
 * Records the refund (pending) and asks the provider; on success a credited order's refund posts
 * a `refund` ledger entry (`refund:<refund id>`, negative) in the same transaction. A provider
 * failure rolls the whole refund back, so a retry with the same number starts clean.
 */
export async function sendRefund(
  tx: Tx,
  provider: OnlineProvider,
  tenantId: string,
  order: OrderRow,
  r: RefundInput,
) {
  const [made] = await tx.execute<{ id: string }>(sql`
    insert into payment_refunds (tenant_id, order_id, refund_no, amount_fen, reason, automatic, requested_by)
    values (app_tenant_id(), ${order.id}, ${r.refundNo}, ${r.amountFen}, ${r.reason}, ${r.automatic}, ${r.by})
    returning id`);
  const result = await provider.plugin.refund(
    {
      refundId: r.refundNo,
      orderId: order.order_no,
      tenantId,
      amountFen: Number(r.amountFen),
      totalFen: Number(order.amount_fen),
      reason: r.reason,
    },
    provider.ctx,
  );
  let entryId: string | null = null;
  if (result.status === 'succeeded' && !r.automatic) {
    const [entry] = await postEntries(tx, [
      {
        accountId: order.account_id,
        kind: 'refund',
        amountFen: -Number(r.amountFen),
        category: 'payment',
        businessKey: `refund:${made.id}`,
        paymentId: order.payment_id,
        occurredOn: r.today,
        createdBy: r.by,
        memo: `refund ${order.order_no} ${r.refundNo}`,
      },
    ]);
    entryId = entry.id;
  }
  if (result.status === 'failed') throw new AppError('PAY_PROVIDER_ERROR', 'The provider refused the refund');
  await tx.execute(sql`update payment_refunds set status = ${result.status},
    provider_refund_id = ${result.providerRefundId ?? null}, ledger_entry_id = ${entryId}::bigint,
    decided_at = case when ${result.status} = 'succeeded' then now() else null end
    where id = ${made.id}`);
  return made.id;
}

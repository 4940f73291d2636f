import type { StatementLine } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client.ts';
import { withSystem } from '../../../db/tenant.ts';
import type { Registry } from '../../../registry/index.ts';
import { type Actor, requireWholeTenant } from '../../identity/actor.ts';
import { runningProvider } from './providers.ts';

export type Mismatch = 'missing_locally' | 'missing_at_provider' | 'amount_differs';

export interface ReconcileItem {
  kind: 'payment' | 'refund';
  mismatch: Mismatch;
  orderNo: string | null;
  providerTxnId: string | null;
  providerFen: number | null;
  localFen: number | null;
}

/**
 * Compares one business day of a provider's statement file (read by the plugin) with this
 * tenant's orders and refunds: payments and refunds the provider has and we do not (or not as
 * paid), ours the provider lacks, and amounts that differ. The merchant account is shared by the
 * instance, so lines of orders that belong to other tenants are left out (the order numbers are
 * unique over all tenants; nothing of them is shown). Reads only; tenant-wide actors only.
 */
export async function reconcileDay(
  tx: Tx,
  db: Db,
  registry: Registry,
  actor: Actor,
  tenantId: string,
  input: { provider: string; date: string; content: string },
  timeZone: string,
) {
  requireWholeTenant(actor);
  const provider = runningProvider(registry, input.provider);
  const lines: StatementLine[] = await provider.plugin.reconcile(
    { tenantId, date: input.date, content: input.content },
    provider.ctx,
  );
  const named = [...new Set(lines.map((l) => l.orderId).filter((x): x is string => Boolean(x)))];
  const others = new Set(
    named.length === 0
      ? []
      : (
          await withSystem(db, (s) =>
            s.execute<{ order_no: string }>(sql`select order_no from payment_orders
              where provider = ${input.provider} and tenant_id <> ${tenantId}
                and order_no in (select jsonb_array_elements_text(${JSON.stringify(named)}::jsonb))`),
          )
        ).map((r) => r.order_no),
  );
  const ours = lines.filter((l) => !l.orderId || !others.has(l.orderId));
  const orders = await tx.execute<{
    order_no: string;
    status: string;
    amount_fen: string;
    txn: string | null;
    day: string | null;
  }>(sql`
    select order_no, status, amount_fen::text, provider_txn_id as txn,
      to_char(paid_at at time zone ${timeZone}, 'YYYY-MM-DD') as day
    from payment_orders where provider = ${input.provider}
      and (order_no in (select jsonb_array_elements_text(${JSON.stringify(named)}::jsonb))
        or (paid_at is not null and (paid_at at time zone ${timeZone})::date = ${input.date}::date))`);
  const refunds = await tx.execute<{
    refund_no: string;
    order_no: string;
    amount_fen: string;
    rid: string | null;
    day: string;
  }>(sql`
    select r.refund_no, o.order_no, r.amount_fen::text, r.provider_refund_id as rid,
      to_char(r.decided_at at time zone ${timeZone}, 'YYYY-MM-DD') as day
    from payment_refunds r join payment_orders o on o.id = r.order_id
    where o.provider = ${input.provider} and r.status = 'succeeded'`);
  const byNo = new Map(orders.map((o) => [o.order_no, o]));
  const byRefund = new Map(refunds.filter((r) => r.rid).map((r) => [r.rid as string, r]));
  const items: ReconcileItem[] = [];
  const seenOrders = new Set<string>();
  const seenRefunds = new Set<string>();
  let matched = 0;
  for (const l of ours) {
    if (l.kind === 'payment') {
      const o = l.orderId ? byNo.get(l.orderId) : undefined;
      if (o) seenOrders.add(o.order_no);
      const paid = o && (o.status === 'paid' || o.status === 'refunded');
      if (!o || !paid)
        items.push({
          kind: 'payment',
          mismatch: 'missing_locally',
          orderNo: l.orderId ?? null,
          providerTxnId: l.providerTxnId,
          providerFen: l.amountFen,
          localFen: o ? Number(o.amount_fen) : null,
        });
      else if (Number(o.amount_fen) !== l.amountFen)
        items.push({
          kind: 'payment',
          mismatch: 'amount_differs',
          orderNo: o.order_no,
          providerTxnId: l.providerTxnId,
          providerFen: l.amountFen,
          localFen: Number(o.amount_fen),
        });
      else matched++;
    } else {
      const r = byRefund.get(l.providerTxnId);
      if (r) seenRefunds.add(l.providerTxnId);
      if (!r)
        items.push({
          kind: 'refund',
          mismatch: 'missing_locally',
          orderNo: l.orderId ?? null,
          providerTxnId: l.providerTxnId,
          providerFen: l.amountFen,
          localFen: null,
        });
      else if (Number(r.amount_fen) !== l.amountFen)
        items.push({
          kind: 'refund',
          mismatch: 'amount_differs',
          orderNo: r.order_no,
          providerTxnId: l.providerTxnId,
          providerFen: l.amountFen,
          localFen: Number(r.amount_fen),
        });
      else matched++;
    }
  }
  for (const o of orders)
    if (o.day === input.date && !seenOrders.has(o.order_no))
      items.push({
        kind: 'payment',
        mismatch: 'missing_at_provider',
        orderNo: o.order_no,
        providerTxnId: o.txn,
        providerFen: null,
        localFen: Number(o.amount_fen),
      });
  for (const r of refunds)
    if (r.day === input.date && !(r.rid && seenRefunds.has(r.rid)))
      items.push({
        kind: 'refund',
        mismatch: 'missing_at_provider',
        orderNo: r.order_no,
        providerTxnId: r.rid,
        providerFen: null,
        localFen: Number(r.amount_fen),
      });
  return { provider: input.provider, date: input.date, lines: ours.length, matched, items };
}

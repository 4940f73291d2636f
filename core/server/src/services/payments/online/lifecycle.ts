import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { Registry } from '../../../registry/index.ts';
import { getAccount } from '../../archives/accounts.ts';
import type { Actor } from '../../identity/actor.ts';
import { type Applied, applyOutcome } from './apply-outcome.ts';
import { getOrder, orderRow } from './order-dto.ts';
import { newOrderNo } from './order-no.ts';
import { requireEnabled, runningProvider } from './providers.ts';
import { sendRefund } from './refund-send.ts';

/** How long a payer has to pay an order before it may be closed. */
export const ORDER_TTL_MS = 15 * 60_000;

export interface CreateOrderInput {
  accountId: string;
  provider: string;
  channel: 'native' | 'jsapi';
  amountFen: bigint;
  description?: string;
  openId?: string;
}

/**
 * Creates an order for an account in the actor's scope and asks the provider for it; the order
 * is `paying` with the payer's next step (QR code URL or JSAPI parameters) when this returns. A
 * provider refusal rolls the order back: nothing is written.
 */
export async function createOrder(
  tx: Tx,
  registry: Registry,
  actor: Actor,
  tenantId: string,
  input: CreateOrderInput,
  notifyBase: string,
) {
  const provider = runningProvider(registry, input.provider);
  await requireEnabled(tx, input.provider);
  const account = await getAccount(tx, actor, input.accountId);
  if (account.status !== 'active') throw new AppError('PAY_ACCOUNT_CLOSED', undefined, { id: account.id });
  const orderNo = newOrderNo();
  const expiresAt = new Date(Date.now() + ORDER_TTL_MS).toISOString();
  const description = input.description ?? `预存/缴费 ${account.number}`;
  const [made] = await tx.execute<{ id: string }>(sql`
    insert into payment_orders (tenant_id, order_no, account_id, provider, channel, amount_fen, description,
      expires_at, created_by)
    values (${tenantId}, ${orderNo}, ${account.id}, ${input.provider}, ${input.channel}, ${input.amountFen},
      ${description}, ${expiresAt}::timestamptz, ${actor.id})
    returning id`);
  const created = await provider.plugin.createOrder(
    {
      orderId: orderNo,
      tenantId,
      amountFen: Number(input.amountFen),
      description,
      channel: input.channel,
      notifyUrl: `${notifyBase}/hooks/${input.provider}/notify`,
      expiresAt,
      ...(input.openId && { payer: { openId: input.openId } }),
    },
    provider.ctx,
  );
  await tx.execute(sql`update payment_orders set status = 'paying', action = ${JSON.stringify(created.action)}::jsonb,
    updated_at = now() where id = ${made.id} and status = 'created'`);
  return { order: await getOrder(tx, actor, made.id), areaPath: account.areaPath };
}

/** Asks the provider now and applies what it says (a paid order is credited once). */
export async function queryOrder(
  tx: Tx,
  registry: Registry,
  actor: Actor,
  tenantId: string,
  id: string,
  today: string,
) {
  const order = await orderRow(tx, actor, id, true);
  const provider = runningProvider(registry, order.provider);
  const outcome = await provider.plugin.query(order.order_no, tenantId, provider.ctx);
  const applied: Applied = await applyOutcome(tx, provider, tenantId, order, outcome, today);
  return {
    order: await getOrder(tx, actor, id),
    applied,
    providerStatus: outcome.status,
    areaPath: order.area_path,
  };
}

/**
 * Closes an unpaid order — after asking the provider: an order paid meanwhile is credited instead
 * of closed (PAY_ORDER_STATE for an order already paid, refunded or closed).
 */
export async function closeOrder(
  tx: Tx,
  registry: Registry,
  actor: Actor,
  tenantId: string,
  id: string,
  today: string,
) {
  const order = await orderRow(tx, actor, id, true);
  if (order.status !== 'created' && order.status !== 'paying')
    throw new AppError('PAY_ORDER_STATE', undefined, { id, status: order.status });
  const provider = runningProvider(registry, order.provider);
  const outcome = await provider.plugin.query(order.order_no, tenantId, provider.ctx);
  const applied = await applyOutcome(tx, provider, tenantId, order, outcome, today);
  if (applied === 'not_paid' || applied === 'amount_mismatch')
    await tx.execute(sql`update payment_orders set status = 'closed', closed_at = now(), updated_at = now()
      where id = ${id} and status in ('created', 'paying')`);
  return { order: await getOrder(tx, actor, id), applied, areaPath: order.area_path };
}

/**
 * Refunds part or all of a paid order under the caller's refund number: the same number again
 * with the same amount is a replay (the first refund), with another amount PAY_REFUND_CONFLICT.
 */
export async function refundOrder(
  tx: Tx,
  registry: Registry,
  actor: Actor,
  tenantId: string,
  id: string,
  input: { refundNo: string; amountFen: bigint; reason: string },
  today: string,
) {
  const order = await orderRow(tx, actor, id, true);
  const [had] = await tx.execute<{ order_id: string; amount_fen: string }>(sql`
    select order_id, amount_fen::text from payment_refunds where refund_no = ${input.refundNo}`);
  if (had) {
    if (had.order_id !== id || had.amount_fen !== input.amountFen.toString())
      throw new AppError('PAY_REFUND_CONFLICT', undefined, { refundNo: input.refundNo });
    return { order: await getOrder(tx, actor, id), replayed: true, areaPath: order.area_path };
  }
  if (order.status !== 'paid') throw new AppError('PAY_ORDER_STATE', undefined, { id, status: order.status });
  const left = BigInt(order.amount_fen) - BigInt(order.refunded_fen);
  if (input.amountFen > left)
    throw new AppError('PAY_REFUND_TOO_LARGE', undefined, {
      amountFen: input.amountFen.toString(),
      refundableFen: left.toString(),
    });
  const provider = runningProvider(registry, order.provider);
  await sendRefund(tx, provider, tenantId, order, { ...input, automatic: false, by: actor.id, today });
  await tx.execute(sql`update payment_orders set refunded_fen = refunded_fen + ${input.amountFen},
    status = case when refunded_fen + ${input.amountFen} = amount_fen then 'refunded' else status end,
    updated_at = now() where id = ${id}`);
  return { order: await getOrder(tx, actor, id), replayed: false, areaPath: order.area_path };
}

import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Registry } from '../../registry/index.ts';
import { createOrder, queryOrder } from '../payments/online/index.ts';
import { requireBound } from './bindings.ts';
import { type Customer, customerActor } from './session.ts';

/** The provider customers pay through in the official account (JSAPI: pay inside WeChat). */
export const SELF_PROVIDER = 'payment-wechat';

/**
 * A JSAPI order for a bound account, for an amount or for one of its issued bills, through the
 * online payment-orders service (the same path as the admin's, credited by the same callback).
 */
export async function createSelfOrder(
  tx: Tx,
  registry: Registry,
  who: Customer,
  accountId: string,
  input: { amountFen?: bigint; billId?: string },
  notifyBase: string,
) {
  await requireBound(tx, who, accountId);
  let amountFen = input.amountFen;
  let description: string | undefined;
  if (input.billId) {
    const [bill] = await tx.execute<{ total_fen: string; number: string | null }>(sql`
      select total_fen::text, number from bills
      where id = ${input.billId} and account_id = ${accountId} and status = 'issued'`);
    if (!bill) throw new AppError('SELF_NOT_FOUND', undefined, { id: input.billId });
    amountFen = BigInt(bill.total_fen);
    description = `账单缴费 ${bill.number ?? ''}`.trim();
  }
  if (amountFen === undefined || amountFen <= 0n)
    throw new AppError('REQ_VALIDATION', 'Give an amount or a bill with something to pay');
  const { order, areaPath } = await createOrder(
    tx,
    registry,
    customerActor(who),
    who.tenantId,
    {
      accountId,
      provider: SELF_PROVIDER,
      channel: 'jsapi',
      amountFen,
      openId: who.openid,
      ...(description && { description }),
    },
    notifyBase,
  );
  return { order: selfOrderDto(order), areaPath };
}

interface OrderLike {
  id: string;
  orderNo: string;
  accountId: string;
  amountFen: string;
  status: string;
  paymentId: string | null;
  action: unknown;
}

const selfOrderDto = (o: OrderLike) => ({
  id: o.id,
  orderNo: o.orderNo,
  accountId: o.accountId,
  amountFen: o.amountFen,
  status: o.status,
  paymentId: o.paymentId,
  action: o.action,
});

/** One of the customer's orders as it stands (the page polls this until the callback credits it). */
export async function selfOrder(tx: Tx, who: Customer, id: string) {
  const [row] = await tx.execute<Record<string, string | null>>(sql`
    select o.id::text, o.order_no, o.account_id::text, o.amount_fen::text, o.status, o.payment_id::text, o.action
    from payment_orders o join self_bindings s on s.tenant_id = o.tenant_id and s.account_id = o.account_id
      and s.identity_id = ${who.identityId}
    where o.id = ${id}`);
  if (!row) throw new AppError('SELF_NOT_FOUND', undefined, { id });
  return selfOrderDto({
    id: String(row.id),
    orderNo: String(row.order_no),
    accountId: String(row.account_id),
    amountFen: String(row.amount_fen),
    status: String(row.status),
    paymentId: row.payment_id,
    action: row.action,
  });
}

/**
 * Asks the provider about one of the customer's orders (the page does when the callback is late):
 * a paid order is credited once, by the same path as the callback.
 */
export async function checkSelfOrder(tx: Tx, registry: Registry, who: Customer, id: string, today: string) {
  const mine = await selfOrder(tx, who, id);
  if (mine.status !== 'created' && mine.status !== 'paying') return { order: mine, applied: 'unchanged' };
  const done = await queryOrder(tx, registry, customerActor(who), who.tenantId, id, today);
  return { order: await selfOrder(tx, who, id), applied: String(done.applied), areaPath: done.areaPath };
}

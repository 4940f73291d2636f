import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../archives/list-kit.ts';
import type { Actor } from '../../identity/actor.ts';
import { isoOf, scopeAnd } from '../scope-sql.ts';

export const ORDER_STATUSES = ['created', 'paying', 'paid', 'closed', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_FLAGS = ['amount_mismatch', 'late_refunded', 'late_credited'] as const;

export interface OrderRow extends Record<string, unknown> {
  id: string;
  order_no: string;
  account_id: string;
  account_number: string;
  customer_name: string;
  area_path: string[];
  provider: string;
  channel: string;
  amount_fen: string;
  description: string;
  status: OrderStatus;
  action: Record<string, unknown>;
  provider_txn_id: string | null;
  payment_id: string | null;
  refunded_fen: string;
  flag: (typeof ORDER_FLAGS)[number] | null;
  flag_detail: Record<string, unknown> | null;
  expires_at: string;
  paid_at: string | null;
  closed_at: string | null;
  created_by: string | null;
  created_at: string;
  created_key: string;
}

/** An order with its account, the account's customer and the customer's area (the scope). */
const FROM = sql`from payment_orders o
  join accounts on accounts.id = o.account_id
  join customers on customers.id = accounts.customer_id
  join areas on areas.id = customers.area_id`;

const COLUMNS = sql`o.id, o.order_no, o.account_id, accounts.number as account_number,
  customers.name as customer_name, areas.path as area_path, o.provider, o.channel, o.amount_fen::text,
  o.description, o.status, o.action, o.provider_txn_id, o.payment_id, o.refunded_fen::text, o.flag,
  o.flag_detail, ${isoOf('o.expires_at')} as expires_at, ${isoOf('o.paid_at')} as paid_at,
  ${isoOf('o.closed_at')} as closed_at, o.created_by, ${isoOf('o.created_at')} as created_at,
  o.created_at::text as created_key`;

/** One order whose account lies in the actor's scope (locked when asked), or PAY_ORDER_NOT_FOUND. */
export async function orderRow(tx: Tx, actor: Actor | null, id: string, lock = false): Promise<OrderRow> {
  const [row] = await tx.execute<OrderRow>(sql`
    select ${COLUMNS} ${FROM} where o.id = ${id} ${actor ? scopeAnd(actor) : sql``}
    ${lock ? sql`for update of o` : sql``}`);
  if (!row) throw new AppError('PAY_ORDER_NOT_FOUND', undefined, { id });
  return row;
}

/** The order a provider names by our order number (tenant already bound), locked; undefined when unknown. */
export async function orderByNo(tx: Tx, provider: string, orderNo: string): Promise<OrderRow | undefined> {
  const [row] = await tx.execute<OrderRow>(sql`
    select ${COLUMNS} ${FROM} where o.order_no = ${orderNo} and o.provider = ${provider} for update of o`);
  return row;
}

export function orderDto(r: OrderRow) {
  return {
    id: r.id,
    orderNo: r.order_no,
    accountId: r.account_id,
    accountNumber: r.account_number,
    customerName: r.customer_name,
    provider: r.provider,
    channel: r.channel,
    amountFen: r.amount_fen,
    description: r.description,
    status: r.status,
    action: r.action,
    providerTxnId: r.provider_txn_id,
    paymentId: r.payment_id,
    refundedFen: r.refunded_fen,
    flag: r.flag,
    flagDetail: r.flag_detail,
    expiresAt: r.expires_at,
    paidAt: r.paid_at,
    closedAt: r.closed_at,
    createdAt: r.created_at,
  };
}

export async function refundsOf(tx: Tx, orderId: string) {
  return await tx.execute<{
    id: string;
    refundNo: string;
    amountFen: string;
    reason: string;
    status: 'pending' | 'succeeded' | 'failed';
    automatic: boolean;
    providerRefundId: string | null;
    ledgerEntryId: string | null;
    createdAt: string;
  }>(sql`
    select id, refund_no as "refundNo", amount_fen::text as "amountFen", reason, status, automatic,
      provider_refund_id as "providerRefundId", ledger_entry_id::text as "ledgerEntryId",
      ${isoOf('created_at')} as "createdAt"
    from payment_refunds where order_id = ${orderId} order by created_at, id`);
}

export async function getOrder(tx: Tx, actor: Actor | null, id: string) {
  const row = await orderRow(tx, actor, id);
  return { ...orderDto(row), refunds: [...(await refundsOf(tx, id))] };
}

export interface OrderListQuery {
  accountId?: string;
  status?: OrderStatus;
  provider?: string;
  flagged?: boolean;
  from?: string;
  to?: string;
  limit: number;
  after?: string;
}

const SORT = 'created_at:desc';

/** Orders newest first, keyset-paged by (created_at, id). */
export async function listOrders(tx: Tx, actor: Actor, q: OrderListQuery) {
  const after = q.after ? decodeCursor(q.after, SORT) : null;
  const cond = [
    q.accountId && sql`and o.account_id = ${q.accountId}`,
    q.status && sql`and o.status = ${q.status}`,
    q.provider && sql`and o.provider = ${q.provider}`,
    q.flagged !== undefined && (q.flagged ? sql`and o.flag is not null` : sql`and o.flag is null`),
    q.from && sql`and o.created_at >= ${q.from}::timestamptz`,
    q.to && sql`and o.created_at < ${q.to}::timestamptz`,
    after && sql`and (o.created_at, o.id) < (cast(${after.key} as timestamptz), ${after.id}::uuid)`,
  ].filter(Boolean);
  const rows = await tx.execute<OrderRow>(sql`
    select ${COLUMNS} ${FROM} where true ${scopeAnd(actor)} ${sql.join(cond as SQL[], sql` `)}
    order by o.created_at desc, o.id desc limit ${q.limit + 1}`);
  const more = rows.length > q.limit;
  const kept = more ? rows.slice(0, q.limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(orderDto),
    next: more && last ? encodeCursor(SORT, last.created_key, last.id) : null,
  };
}

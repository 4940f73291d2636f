import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../archives/list-kit.ts';
import { notFound } from '../archives/scope.ts';
import type { Actor } from '../identity/actor.ts';
import {
  PAYMENT_COLUMNS,
  type PaymentMethod,
  type PaymentRow,
  type PaymentStatus,
  paymentDto,
} from './payment-dto.ts';
import { PAYMENT_FROM, scopeAnd } from './scope-sql.ts';

/** One payment whose account lies in the actor's scope, or RESOURCE_NOT_FOUND. */
export async function paymentRow(tx: Tx, actor: Actor, id: string, lock = false): Promise<PaymentRow> {
  const [row] = await tx.execute<PaymentRow>(sql`
    select ${PAYMENT_COLUMNS} ${PAYMENT_FROM} where payments.id = ${id} ${scopeAnd(actor)}
    ${lock ? sql`for update of payments` : sql``}`);
  if (!row) throw notFound('payment', id);
  return row;
}

export async function getPayment(tx: Tx, actor: Actor, id: string) {
  return paymentDto(await paymentRow(tx, actor, id));
}

export interface PaymentListQuery {
  accountId?: string;
  shiftId?: string;
  cashierId?: string;
  method?: PaymentMethod;
  status?: PaymentStatus;
  /** created_at bounds, ISO timestamps: from inclusive, to exclusive */
  from?: string;
  to?: string;
  limit: number;
  after?: string;
}

const SORT = 'created_at:desc';

/** Payments newest first, keyset-paged by (created_at, id); no total (the list grows without bound). */
export async function listPayments(tx: Tx, actor: Actor, q: PaymentListQuery) {
  const after = q.after ? decodeCursor(q.after, SORT) : null;
  const cond = [
    q.accountId && sql`and payments.account_id = ${q.accountId}`,
    q.shiftId && sql`and payments.shift_id = ${q.shiftId}`,
    q.cashierId && sql`and payments.cashier_id = ${q.cashierId}`,
    q.method && sql`and payments.method = ${q.method}`,
    q.status && sql`and payments.status = ${q.status}`,
    q.from && sql`and payments.created_at >= ${q.from}::timestamptz`,
    q.to && sql`and payments.created_at < ${q.to}::timestamptz`,
    after &&
      sql`and (payments.created_at, payments.id) < (cast(${after.key} as timestamptz), ${after.id}::uuid)`,
  ].filter(Boolean);
  const rows = await tx.execute<PaymentRow>(sql`
    select ${PAYMENT_COLUMNS} ${PAYMENT_FROM} where true ${scopeAnd(actor)} ${sql.join(cond as SQL[], sql` `)}
    order by payments.created_at desc, payments.id desc limit ${q.limit + 1}`);
  const more = rows.length > q.limit;
  const kept = more ? rows.slice(0, q.limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(paymentDto),
    next: more && last ? encodeCursor(SORT, last.created_key, last.id) : null,
  };
}

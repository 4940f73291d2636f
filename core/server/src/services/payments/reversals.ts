import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { notFound } from '../archives/scope.ts';
import type { Actor } from '../identity/actor.ts';
import { allocateAfterPayment, reversePaymentEntry } from './ledger-post.ts';
import { paymentDto } from './payment-dto.ts';
import { paymentRow } from './payment-read.ts';
import { isoOf, scopeAnd } from './scope-sql.ts';

export type ReversalStatus = 'pending' | 'approved' | 'rejected';

interface ReversalRow extends Record<string, unknown> {
  id: string;
  payment_id: string;
  reason: string;
  status: ReversalStatus;
  requested_by: string;
  requested_by_name: string;
  requested_at: string;
  approved_by: string | null;
  approved_by_name: string | null;
  decided_at: string | null;
  decision_note: string;
  ledger_entry_id: string | null;
  amount_fen: string;
  method: string;
  account_number: string;
  customer_name: string;
}

const COLUMNS = sql`r.id, r.payment_id, r.reason, r.status, r.requested_by, r.requested_by_name,
  ${isoOf('r.requested_at')} as requested_at, r.approved_by, r.approved_by_name,
  ${isoOf('r.decided_at')} as decided_at, r.decision_note, r.ledger_entry_id::text,
  payments.amount_fen::text, payments.method, accounts.number as account_number, customers.name as customer_name`;

const FROM = sql`from payment_reversals r join payments on payments.id = r.payment_id
  join accounts on accounts.id = payments.account_id
  join customers on customers.id = accounts.customer_id
  join areas on areas.id = customers.area_id`;

export function reversalDto(r: ReversalRow) {
  return {
    id: r.id,
    paymentId: r.payment_id,
    reason: r.reason,
    status: r.status,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    requestedAt: r.requested_at,
    approvedBy: r.approved_by,
    approvedByName: r.approved_by_name,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    ledgerEntryId: r.ledger_entry_id,
    amountFen: r.amount_fen,
    method: r.method,
    accountNumber: r.account_number,
    customerName: r.customer_name,
  };
}

async function reversalRow(tx: Tx, actor: Actor, id: string, lock = false): Promise<ReversalRow> {
  const [row] = await tx.execute<ReversalRow>(sql`
    select ${COLUMNS} ${FROM} where r.id = ${id} ${scopeAnd(actor)} ${lock ? sql`for update of r, payments` : sql``}`);
  if (!row) throw notFound('payment reversal', id);
  return row;
}

/** Asks for a posted payment to be reversed; a second person decides. */
export async function requestReversal(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  paymentId: string,
  reason: string,
) {
  const payment = await paymentRow(tx, actor, paymentId, true);
  if (payment.status !== 'posted')
    throw new AppError('PAY_NOT_REVERSIBLE', undefined, { id: paymentId, status: payment.status });
  // an online payment goes back to the payer through its order's refund, never a counter reversal
  if (payment.shift_id === null)
    throw new AppError('PAY_NOT_REVERSIBLE', 'An online payment is refunded through its payment order', {
      id: paymentId,
      method: payment.method,
    });
  const [made] = await tx.execute<{ id: string }>(sql`
    insert into payment_reversals (tenant_id, payment_id, reason, requested_by, requested_by_name)
    values (${tenantId}, ${paymentId}, ${reason}, ${actor.id}, ${actor.displayName || actor.name}) returning id`);
  await tx.execute(sql`update payments set status = 'reversal_requested' where id = ${paymentId}`);
  return { reversal: reversalDto(await reversalRow(tx, actor, made.id)), areaPath: payment.area_path };
}

async function pendingForDecision(tx: Tx, actor: Actor, id: string): Promise<ReversalRow> {
  const row = await reversalRow(tx, actor, id, true);
  if (row.status !== 'pending')
    throw new AppError('PAY_REVERSAL_DECIDED', undefined, { id, status: row.status });
  // the four-eyes rule: the person who asked never decides
  if (row.requested_by === actor.id) throw new AppError('PAY_REVERSAL_SELF_APPROVAL', undefined, { id });
  return row;
}

/** Approves a pending reversal: posts the reversal ledger entry and marks the payment reversed. */
export async function approveReversal(tx: Tx, actor: Actor, id: string, today: string, note = '') {
  const row = await pendingForDecision(tx, actor, id);
  const payment = await paymentRow(tx, actor, row.payment_id, true);
  if (!payment.ledger_entry_id) throw new AppError('INTERNAL', 'The payment has no ledger entry');
  const entryId = await reversePaymentEntry(tx, {
    entryId: payment.ledger_entry_id,
    occurredOn: today,
    by: actor.id,
    reason: row.reason,
  });
  await tx.execute(sql`
    update payment_reversals set status = 'approved', approved_by = ${actor.id},
      approved_by_name = ${actor.displayName || actor.name}, decided_at = now(), decision_note = ${note},
      ledger_entry_id = ${entryId}::bigint
    where id = ${id}`);
  await tx.execute(sql`update payments set status = 'reversed' where id = ${payment.id}`);
  await allocateAfterPayment(tx, payment.account_id, today);
  return {
    reversal: reversalDto(await reversalRow(tx, actor, id)),
    payment: paymentDto(await paymentRow(tx, actor, payment.id)),
    areaPath: payment.area_path,
  };
}

/** Rejects a pending reversal: the payment stands (posted again). */
export async function rejectReversal(tx: Tx, actor: Actor, id: string, note = '') {
  const row = await pendingForDecision(tx, actor, id);
  await tx.execute(sql`
    update payment_reversals set status = 'rejected', approved_by = ${actor.id},
      approved_by_name = ${actor.displayName || actor.name}, decided_at = now(), decision_note = ${note}
    where id = ${id}`);
  await tx.execute(sql`update payments set status = 'posted' where id = ${row.payment_id}`);
  const payment = await paymentRow(tx, actor, row.payment_id);
  return { reversal: reversalDto(await reversalRow(tx, actor, id)), areaPath: payment.area_path };
}

/** Reversal requests within the actor's scope, newest first (pending ones for the approvals page). */
export async function listReversals(tx: Tx, actor: Actor, q: { status?: ReversalStatus; limit: number }) {
  const cond: SQL = q.status ? sql`and r.status = ${q.status}` : sql``;
  const rows = await tx.execute<ReversalRow>(sql`
    select ${COLUMNS} ${FROM} where true ${scopeAnd(actor)} ${cond}
    order by r.requested_at desc, r.id desc limit ${q.limit}`);
  return rows.map(reversalDto);
}

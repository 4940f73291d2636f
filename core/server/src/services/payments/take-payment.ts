import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { getAccount } from '../archives/accounts.ts';
import type { Actor } from '../identity/actor.ts';
import { checkHoarding } from '../prepaid/hoarding.ts';
import { type CounterRules, checkRules } from './counter-rules.ts';
import { allocateAfterPayment, postPaymentEntry } from './ledger-post.ts';
import type { CounterMethod } from './payment-dto.ts';
import { noticePaymentReceived } from './payment-notice.ts';
import { getPayment } from './payment-read.ts';
import { openShiftOf } from './shifts.ts';

export interface TakePaymentInput {
  accountId: string;
  method: CounterMethod;
  amountFen: bigint;
  /** cash only: what the customer handed over (≥ amount) */
  tenderedFen?: bigint;
  /** card only: the terminal's receipt (reference) number */
  terminalRef?: string;
  idempotencyKey: string;
  note?: string;
}

function checkTender(input: TakePaymentInput): {
  tendered: bigint | null;
  change: bigint;
  ref: string | null;
} {
  if (input.method === 'cash') {
    if (input.terminalRef !== undefined)
      throw new AppError('REQ_VALIDATION', 'A cash payment has no terminal reference', [
        { path: 'terminalRef', message: 'only for card payments' },
      ]);
    const tendered = input.tenderedFen ?? input.amountFen;
    if (tendered < input.amountFen)
      throw new AppError('PAY_TENDER_SHORT', undefined, {
        amountFen: input.amountFen.toString(),
        tenderedFen: tendered.toString(),
      });
    return { tendered, change: tendered - input.amountFen, ref: null };
  }
  if (!input.terminalRef)
    throw new AppError('REQ_VALIDATION', 'A card payment needs the terminal receipt number', [
      { path: 'terminalRef', message: 'required for card payments' },
    ]);
  if (input.tenderedFen !== undefined && input.tenderedFen !== input.amountFen)
    throw new AppError('REQ_VALIDATION', 'A card payment tenders exactly its amount', [
      { path: 'tenderedFen', message: 'must equal amountFen or be left out' },
    ]);
  return { tendered: null, change: 0n, ref: input.terminalRef };
}

/**
 * Takes a counter payment: the account must be in the actor's scope and the actor must have an open
 * shift. The payment row and its ledger entry are written in the caller's transaction. The
 * idempotency key makes a double click or a retry return the first payment (replayed: true); the
 * same key with a different payment is PAY_IDEMPOTENCY_CONFLICT. Concurrent submits of one key
 * wait on the unique index, then the loser returns the winner's payment.
 */
export async function takePayment(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  input: TakePaymentInput,
  today: string,
  rules: CounterRules,
) {
  const { tendered, change, ref } = checkTender(input);
  checkRules(rules, input.method, input.amountFen);
  const account = await getAccount(tx, actor, input.accountId);
  if (account.status !== 'active') throw new AppError('PAY_ACCOUNT_CLOSED', undefined, { id: account.id });
  // locks the shift row: a concurrent close waits for this payment, so the shift's totals include it
  const shift = await openShiftOf(tx, actor.id, true);
  if (!shift) throw new AppError('PAY_SHIFT_NOT_OPEN');
  const [made] = await tx.execute<{ id: string }>(sql`
    insert into payments (tenant_id, account_id, method, amount_fen, tendered_fen, change_fen, terminal_ref,
      shift_id, idempotency_key, cashier_id, cashier_name, note)
    values (${tenantId}, ${account.id}, ${input.method}, ${input.amountFen}, ${tendered}, ${change}, ${ref},
      ${shift.id}, ${input.idempotencyKey}, ${actor.id}, ${actor.displayName || actor.name}, ${input.note ?? ''})
    on conflict (tenant_id, idempotency_key) do nothing
    returning id`);
  if (!made) return { payment: await replay(tx, actor, input), replayed: true, areaPath: account.areaPath };
  // a prepaid account's hoarding limit: throwing here rolls the payment row back with it
  await checkHoarding(tx, account.id, input.amountFen);
  const entryId = await postPaymentEntry(tx, {
    accountId: account.id,
    paymentId: made.id,
    amountFen: Number(input.amountFen),
    occurredOn: today,
    by: actor.id,
    memo: input.method === 'card' ? `card ${ref}` : 'cash',
  });
  await tx.execute(sql`update payments set ledger_entry_id = ${entryId}::bigint where id = ${made.id}`);
  await allocateAfterPayment(tx, account.id, today);
  await noticePaymentReceived(tx, {
    paymentId: made.id,
    accountId: account.id,
    amountFen: input.amountFen,
    occurredOn: today,
  });
  return { payment: await getPayment(tx, actor, made.id), replayed: false, areaPath: account.areaPath };
}

/** The payment an idempotency key already made, when it is the same payment; else a conflict. */
async function replay(tx: Tx, actor: Actor, input: TakePaymentInput) {
  const [row] = await tx.execute<{ id: string; account_id: string; method: string; amount_fen: string }>(sql`
    select id, account_id, method, amount_fen::text from payments where idempotency_key = ${input.idempotencyKey}`);
  const same =
    row &&
    row.account_id === input.accountId &&
    row.method === input.method &&
    row.amount_fen === input.amountFen.toString();
  if (!same) throw new AppError('PAY_IDEMPOTENCY_CONFLICT');
  return await getPayment(tx, actor, row.id);
}

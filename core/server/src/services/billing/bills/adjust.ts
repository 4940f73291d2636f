import { AppError } from '@quadmeter/sdk';
import type { Tx } from '../../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { allocate } from '../ledger/index.ts';
import { postAdjustment } from './ledger-rows.ts';
import { type BillHead, findBillHead, stateInvalid } from './scope.ts';
import { unpaidOf } from './unpaid.ts';

/** The largest adjustment one request may post either way: 1,000,000 元. */
export const MAX_ADJUSTMENT_FEN = 100_000_000;

export interface Adjusted {
  head: BillHead;
  entryId: string;
  principalFen: number;
}

/**
 * An adjustment on an issued bill (补差 / 退补): one `adjustment` ledger entry keyed `adj:<uuid>`,
 * naming the bill, with the reason as memo. `amountFen` > 0 charges more, < 0 credits; no bill line
 * is added (the bill's lines stay what the run priced, see decision 0026). A credit may not take the
 * bill's principal below zero (BILL_ADJUSTMENT_TOO_LARGE). The account is then allocated, so a
 * credit settles the oldest open debits in the tenant's order (decision 0024).
 */
export async function adjustBill(
  tx: Tx,
  actor: Actor,
  id: string,
  input: { amountFen: number; reason: string },
  today: string,
): Promise<Adjusted> {
  const head = await findBillHead(tx, actor, id, true);
  if (head.status !== 'issued') throw stateInvalid(id, head.status, ['issued']);
  const principal = (await unpaidOf(tx, [id])).get(id)?.principalFen ?? 0;
  if (principal + input.amountFen < 0)
    throw new AppError('BILL_ADJUSTMENT_TOO_LARGE', undefined, {
      principalFen: principal,
      amountFen: input.amountFen,
    });
  const entryId = await postAdjustment(tx, {
    billId: id,
    accountId: head.accountId,
    amountFen: input.amountFen,
    on: today,
    by: actor.id,
    reason: input.reason,
  });
  // a credit settles open debits in the allocation order; a debit is settled by free credit if any
  await allocate(tx, head.accountId, { asOf: today });
  return { head, entryId, principalFen: principal + input.amountFen };
}

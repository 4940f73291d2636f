import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { documentHtml, issueDocument } from '../documents/store.ts';
import { receiptView } from '../documents/views.ts';
import { requireOwnPayment } from './reads.ts';
import { type Customer, customerActor } from './session.ts';

/**
 * The receipt of a payment into a bound account as the tenant's receipt template renders it: the
 * live receipt document when one was issued (by the counter or before), else issued now — once:
 * the documents service replays the live one — in the narrow 80 mm variant that suits a phone.
 */
export async function selfReceipt(tx: Tx, who: Customer, paymentId: string, timeZone: string) {
  await requireOwnPayment(tx, who, paymentId);
  const [live] = await tx.execute<{ id: string }>(sql`select id::text from documents
    where kind = 'receipt' and source_type = 'payment' and source_id = ${paymentId} and status = 'issued'
    order by issued_at desc limit 1`);
  const actor = customerActor(who);
  if (live) return { ...(await documentHtml(tx, actor, live.id)), issued: false };
  const res = await issueDocument(tx, actor, who.tenantId, timeZone, {
    kind: 'receipt',
    variant: 'thermal80',
    sourceType: 'payment',
    sourceId: paymentId,
    view: async (number, at) => {
      const v = await receiptView(tx, actor, paymentId, number, at);
      if (v.status === 'reversed') throw new AppError('SELF_NOT_FOUND', undefined, { id: paymentId });
      return v;
    },
  });
  return { ...(await documentHtml(tx, actor, res.doc.id)), issued: !res.replayed };
}

import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { assertEntry, entryColumns, type LedgerEntry, type NewEntry } from './entry.ts';

export type PostedEntry = LedgerEntry & { created: boolean };

/**
 * Posts entries idempotently by business key: a key seen before is not written again, and the
 * entry already there is returned with `created: false`. A key that exists with another account,
 * kind or amount is LEDGER_KEY_CONFLICT (the caller meant two different facts). Inserted in one
 * statement in account order, so the balance trigger locks concurrent postings' rows in one order.
 * Results follow the input order.
 */
export async function postEntries(tx: Tx, entries: readonly NewEntry[]): Promise<PostedEntry[]> {
  if (entries.length === 0) return [];
  for (const e of entries) assertEntry(e);
  const rows = entries.map((e, ord) => ({
    ord,
    account_id: e.accountId,
    kind: e.kind,
    amount_fen: e.amountFen,
    category: e.category ?? '',
    business_key: e.businessKey,
    bill_id: e.billId ?? null,
    payment_id: e.paymentId ?? null,
    meter_id: e.meterId ?? null,
    occurred_on: e.occurredOn,
    created_by: e.createdBy ?? null,
    memo: e.memo ?? '',
    meta: e.meta ?? {},
  }));
  const inserted = await tx.execute<{ key: string }>(sql`
    insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, bill_id,
      payment_id, meter_id, occurred_on, created_by, memo, meta)
    select app_tenant_id(), x.account_id, x.kind, x.amount_fen, x.category, x.business_key, x.bill_id,
      x.payment_id, x.meter_id, x.occurred_on, x.created_by, x.memo, x.meta
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(ord int, account_id uuid, kind text,
      amount_fen bigint, category text, business_key text, bill_id uuid, payment_id uuid, meter_id uuid,
      occurred_on date, created_by uuid, memo text, meta jsonb)
    order by x.account_id, x.ord
    on conflict (tenant_id, business_key) do nothing
    returning business_key as key`);
  const fresh = new Set(inserted.map((r) => r.key));
  const keys = [...new Set(entries.map((e) => e.businessKey))];
  const stored = await tx.execute<LedgerEntry>(sql`
    select ${entryColumns} from ledger_entries e
    where e.business_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`);
  const byKey = new Map(stored.map((r) => [r.businessKey, r]));
  return entries.map((e) => {
    const row = byKey.get(e.businessKey);
    if (!row) throw new AppError('INTERNAL', `ledger entry ${e.businessKey} vanished`);
    if (row.accountId !== e.accountId || row.kind !== e.kind || row.amountFen !== e.amountFen)
      throw new AppError('LEDGER_KEY_CONFLICT', undefined, { businessKey: e.businessKey });
    const created = fresh.delete(e.businessKey);
    return { ...row, created };
  });
}

import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { NewEntry, PostableKind } from './entry.ts';

/** An area, a customer in it and an account of that customer; returns the account id. */
export async function makeAccount(tx: Tx, n: string): Promise<string> {
  const area = crypto.randomUUID();
  await tx.execute(
    sql`insert into areas (tenant_id, id, name, kind, path) values (app_tenant_id(), ${area}, ${`area ${n}`}, 'district', array[${area}::uuid])`,
  );
  const [c] = await tx.execute<{ id: string }>(
    sql`insert into customers (tenant_id, number, name, area_id) values (app_tenant_id(), ${`C${n}`}, 'x', ${area}) returning id`,
  );
  const [a] = await tx.execute<{ id: string }>(
    sql`insert into accounts (tenant_id, customer_id, number) values (app_tenant_id(), ${c.id}, ${`A${n}`}) returning id`,
  );
  return a.id;
}

/** An issued bill of the account with the given due date (for arrears); returns its id. */
export async function makeBill(
  tx: Tx,
  accountId: string,
  periodFrom: string,
  dueDate: string,
): Promise<string> {
  const [b] = await tx.execute<{ id: string }>(sql`
    insert into bills (tenant_id, account_id, area_id, period_from, period_to, status, total_fen, due_date)
    select app_tenant_id(), a.id, c.area_id, ${periodFrom}::date, (${periodFrom}::date + interval '1 month')::date,
      'issued', 0, ${dueDate}::date
    from accounts a join customers c on c.id = a.customer_id where a.id = ${accountId}
    returning id`);
  return b.id;
}

/** A new entry with a business key and a business date. */
export function entry(
  accountId: string,
  kind: PostableKind,
  amountFen: number,
  businessKey: string,
  more: Partial<NewEntry> = {},
): NewEntry {
  return { accountId, kind, amountFen, businessKey, occurredOn: '2026-11-01', ...more };
}

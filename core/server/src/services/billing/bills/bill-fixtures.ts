import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';

export interface FixtureLine {
  category: string;
  fen: number;
  quantity?: string;
  price?: string;
  tier?: number;
  band?: string;
  tariffVersionId?: string;
  readings?: { ts: string; value: string; kind: number }[];
}

export interface FixtureBill {
  customer: string;
  account: string;
  bill: string;
}

/** A new area (a root of its own) in the current tenant; answers its id. */
export async function fixtureArea(tx: Tx, name: string): Promise<string> {
  const id = crypto.randomUUID();
  await tx.execute(sql`insert into areas (tenant_id, id, name, kind, path)
    values (app_tenant_id(), ${id}, ${name}, 'district', array[${id}::uuid])`);
  return id;
}

/**
 * Test rows written directly (the bill-run engine is another helper's): a customer `C<n>` with
 * account `A<n>` in `areaId` and one bill of October 2026 with the given lines, held.
 */
export async function fixtureBill(
  tx: Tx,
  areaId: string,
  n: string,
  lines: FixtureLine[],
  opts: { periodFrom?: string; periodTo?: string; holdReasons?: string[]; account?: string } = {},
): Promise<FixtureBill> {
  let customer: string;
  let account = opts.account;
  if (account) {
    const [a] = await tx.execute<{ c: string }>(
      sql`select customer_id::text as c from accounts where id = ${account}`,
    );
    customer = a.c;
  } else {
    const [c] = await tx.execute<{ id: string }>(sql`insert into customers (tenant_id, number, name, area_id)
      values (app_tenant_id(), ${`C${n}`}, ${`客户${n}`}, ${areaId}) returning id::text as id`);
    customer = c.id;
    const [a] = await tx.execute<{ id: string }>(sql`insert into accounts (tenant_id, customer_id, number)
      values (app_tenant_id(), ${customer}, ${`A${n}`}) returning id::text as id`);
    account = a.id;
  }
  const total = lines.reduce((s, l) => s + l.fen, 0);
  const [b] = await tx.execute<{
    id: string;
  }>(sql`insert into bills (tenant_id, account_id, area_id, period_from,
      period_to, status, hold_reasons, total_fen)
    values (app_tenant_id(), ${account}, ${areaId}, ${opts.periodFrom ?? '2026-10-01'}, ${opts.periodTo ?? '2026-11-01'},
      'held', ${`{${(opts.holdReasons ?? []).join(',')}}`}::text[], ${total}) returning id::text as id`);
  for (const [i, l] of lines.entries())
    await tx.execute(sql`insert into bill_lines (tenant_id, bill_id, line_no, category, component, tier, band,
        quantity, unit, price, amount_fen, tariff_version_id, explain)
      values (app_tenant_id(), ${b.id}, ${i + 1}, ${l.category}, ${`${l.category}-${i + 1}`}, ${l.tier ?? null},
        ${l.band ?? null}, ${l.quantity ?? null}, ${l.quantity ? 'kWh' : null}, ${l.price ?? null}, ${l.fen},
        ${l.tariffVersionId ?? null}, ${JSON.stringify({ readings: l.readings ?? [] })}::jsonb)`);
  return { customer, account, bill: b.id };
}

/** Marks the bill issued with the due date and posts its charges (as issueBills does). */
export async function fixtureIssue(tx: Tx, bill: string, dueDate: string): Promise<void> {
  const { issueBills } = await import('./issue.ts');
  await tx.execute(sql`update bills set due_date = ${dueDate}::date where id = ${bill}`);
  await issueBills(tx, [bill], null);
}

/** A payment of `fen` to the account, posted and allocated as the cashier does. */
export async function fixturePayment(tx: Tx, account: string, fen: number, on = '2026-11-05'): Promise<void> {
  const { allocate, postEntries } = await import('../ledger/index.ts');
  await postEntries(tx, [
    {
      accountId: account,
      kind: 'payment',
      amountFen: fen,
      category: 'payment',
      businessKey: `pay:${crypto.randomUUID()}`,
      occurredOn: on,
    },
  ]);
  await allocate(tx, account, { asOf: on });
}

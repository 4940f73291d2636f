import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { inDemo } from './archive-fixtures.ts';

/** A customer (with a phone) and an account in `areaId`, through the API. */
export async function customerWithAccount(
  admin: Client,
  areaId: string,
  n: string,
  phone: string | null = null,
): Promise<{ customerId: string; accountId: string }> {
  const c = await admin.post('/api/v1/customers', { name: `收费户${n}`, number: `PC-${n}`, areaId, phone });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const a = await admin.post('/api/v1/accounts', { customerId: c.body.id, number: `PA-${n}` });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return { customerId: c.body.id, accountId: a.body.id };
}

/** A water meter with `assetNo` in `areaId`, linked to the account (demo tenant). */
export async function meterOf(
  p: TestPlatform,
  admin: Client,
  areaId: string,
  accountId: string,
  assetNo: string,
) {
  const m = await admin.post('/api/v1/meters', {
    kind: 'meter-water',
    assetNo,
    commAddress: `9${String(Math.floor(Math.random() * 1e13)).padStart(13, '0')}`,
    protocol: 'cjt188',
    areaId,
  });
  expect(m.status, JSON.stringify(m.body)).toBe(201);
  await inDemo(p, (tx) =>
    tx.execute(sql`update meters set account_id = ${accountId} where id = ${m.body.id}`),
  );
  return m.body.id as string;
}

/** Posts a charge to an account (what a bill would), so it owes something. */
export async function charge(p: TestPlatform, accountId: string, fen: number) {
  await inDemo(p, (tx) =>
    tx.execute(sql`insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, occurred_on)
      values (app_tenant_id(), ${accountId}, 'charge', ${-fen}, 'usage', ${`test:${randomUUID()}`}, current_date)`),
  );
}

export function key(): string {
  return `k-${randomUUID()}`;
}

/** Rows of the money tables over all tenants: nothing may change on a refused request. */
export async function moneyCounts(p: TestPlatform) {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from payments)::int as payments,
      (select count(*) from cashier_shifts)::int as shifts,
      (select count(*) from cashier_shifts where status = 'closed')::int as closed,
      (select count(*) from payment_reversals)::int as reversals,
      (select count(*) from payment_reversals where status <> 'pending')::int as decided,
      (select count(*) from payments where status <> 'posted')::int as unposted,
      (select count(*) from ledger_entries)::int as entries`),
  );
  return row as Record<string, number>;
}

/** The cached balance of an account, and the sum of its entries (they must agree). */
export async function balanceOf(p: TestPlatform, accountId: string) {
  return await inDemo(p, async (tx) => {
    const [b] = await tx.execute<{ cached: string | null; summed: string }>(sql`
      select (select balance_fen::text from account_balances where account_id = ${accountId}) as cached,
        (select coalesce(sum(amount_fen), 0)::text from ledger_entries where account_id = ${accountId}) as summed`);
    return { cached: b.cached ?? '0', summed: b.summed };
  });
}

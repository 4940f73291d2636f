import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import type { Tx } from '../../../db/client.ts';
import { withTenant } from '../../../db/tenant.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { issueBills } from './issue.ts';

let t: TestDatabase;
let tenant: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tenant = (
    await createTenant(t.database.db, {
      code: 'bi',
      name: 'bi',
      adminUsername: 'admin',
      adminPassword: 'password-bi',
    })
  ).id;
});
afterAll(async () => t?.drop());

/** An account with one held bill whose lines are the given (category, fen) pairs. */
async function heldBill(
  tx: Tx,
  n: string,
  lines: [string, number][],
): Promise<{ account: string; bill: string }> {
  const area = crypto.randomUUID();
  await tx.execute(
    sql`insert into areas (tenant_id, id, name, kind, path) values (app_tenant_id(), ${area}, ${n}, 'district', array[${area}::uuid])`,
  );
  const [c] = await tx.execute<{ id: string }>(
    sql`insert into customers (tenant_id, number, name, area_id) values (app_tenant_id(), ${`C${n}`}, 'x', ${area}) returning id`,
  );
  const [a] = await tx.execute<{ id: string }>(
    sql`insert into accounts (tenant_id, customer_id, number) values (app_tenant_id(), ${c.id}, ${`A${n}`}) returning id`,
  );
  const total = lines.reduce((s, [, fen]) => s + fen, 0);
  const [b] = await tx.execute<{
    id: string;
  }>(sql`insert into bills (tenant_id, account_id, area_id, period_from, period_to, status, total_fen)
    values (app_tenant_id(), ${a.id}, ${area}, '2026-10-01', '2026-11-01', 'held', ${total}) returning id`);
  for (const [i, [category, fen]] of lines.entries())
    await tx.execute(sql`insert into bill_lines (tenant_id, bill_id, line_no, category, component, amount_fen)
      values (app_tenant_id(), ${b.id}, ${i + 1}, ${category}, ${`c${i}`}, ${fen})`);
  return { account: a.id, bill: b.id };
}

describe('issueBills', () => {
  it('posts one charge per category, credits a net-negative category, and never posts twice', async () => {
    await withTenant(t.database.db, tenant, async (tx) => {
      const { account, bill } = await heldBill(tx, '1', [
        ['usage', 3000],
        ['usage', 1570],
        ['fixed', 500],
        ['allowance', -784],
        ['zero', 0],
      ]);
      expect(await issueBills(tx, [bill], null)).toBe(3);
      expect(await issueBills(tx, [bill], null)).toBe(0);
      const entries = await tx.execute<{
        kind: string;
        category: string;
        fen: number;
        key: string;
        on: string;
      }>(sql`
        select kind, category, amount_fen::int as fen, business_key as key, occurred_on::text as on
        from ledger_entries where account_id = ${account} order by category`);
      expect(entries).toEqual([
        {
          kind: 'adjustment',
          category: 'allowance',
          fen: 784,
          key: `bill:${bill}:allowance`,
          on: '2026-10-31',
        },
        { kind: 'charge', category: 'fixed', fen: -500, key: `bill:${bill}:fixed`, on: '2026-10-31' },
        { kind: 'charge', category: 'usage', fen: -4570, key: `bill:${bill}:usage`, on: '2026-10-31' },
      ]);
      const [bal] = await tx.execute<{ fen: number }>(
        sql`select balance_fen::int as fen from account_balances where account_id = ${account}`,
      );
      expect(bal.fen).toBe(-4286);
      const [st] = await tx.execute<{ status: string }>(sql`select status from bills where id = ${bill}`);
      expect(st.status).toBe('issued');
    });
  });

  it('leaves a cancelled bill alone', async () => {
    await withTenant(t.database.db, tenant, async (tx) => {
      const { bill } = await heldBill(tx, '2', [['usage', 100]]);
      await tx.execute(sql`update bills set status = 'cancelled' where id = ${bill}`);
      expect(await issueBills(tx, [bill], null)).toBe(0);
    });
  });
});

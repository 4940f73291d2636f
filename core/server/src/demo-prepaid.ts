import { sql } from 'drizzle-orm';
import type { Tx } from './db/client.ts';
import { postEntries } from './services/billing/ledger/post.ts';

/**
 * Balances (元) the demo's prepaid shops open with, in turn: most have plenty, some are low enough
 * that the board shows every warning level from the first start (none exhausted: no cut is sent
 * before the first deductions).
 */
const OPENING_YUAN = [480, 320, 260, 150, 95, 60, 28, 22, 8, 5] as const;

/**
 * The demo's software-prepaid estate: the 60 shops (阳光花园 water on NB-IoT with valves, 幸福里
 * power behind the concentrator with relays) pay in advance from the day the estate starts, and
 * each opened its wallet with a counter top-up. The ledger trigger hands them to the prepaid worker,
 * which puts each in its level. Idempotent: the modes are set once, the top-ups keyed per account.
 */
export async function seedDemoPrepaid(tx: Tx, since: string): Promise<number> {
  const shops = await tx.execute<{ id: string }>(sql`
    select a.id::text as id from accounts a join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
    where c.type = 'commercial' order by a.number`);
  if (shops.length === 0) return 0;
  const ids = shops.map((s) => s.id);
  await tx.execute(sql`
    insert into account_billing_modes (tenant_id, account_id, effective_from, mode)
    select app_tenant_id(), a, ${since}::date, 'prepaid' from unnest(${`{${ids.join(',')}}`}::uuid[]) a
    on conflict do nothing`);
  await postEntries(
    tx,
    ids.map((accountId, i) => ({
      accountId,
      kind: 'topup' as const,
      amountFen: OPENING_YUAN[i % OPENING_YUAN.length] * 100,
      category: 'payment',
      businessKey: `demo:opening:${accountId}`,
      occurredOn: since,
      memo: '开户预存',
    })),
  );
  return ids.length;
}

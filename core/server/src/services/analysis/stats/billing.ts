import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { areaFilter, checkDay, shift } from './period.ts';

export const PREPAID_STATES = [
  'normal',
  'alarm1',
  'alarm2',
  'overdraft',
  'cut_pending',
  'cut',
  'reconnect_pending',
] as const;

const rate = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);

/**
 * Collection rate of the bills of a month (issued bills whose period starts in it: what they charged
 * and how much of those charges payments have settled, from the ledger allocations), arrears with
 * their ageing (stats_arrears) and prepaid accounts per state. Amounts in integer fen.
 */
export async function billingStats(tx: Tx, actor: Actor, q: { month: string; areaId?: string }) {
  const from = checkDay(`${q.month}-01`, 'month');
  const to = shift(from, 'month', 1);
  const { cond } = await areaFilter(tx, actor, q.areaId);
  const [collection] = (await tx.execute(sql`
    with b as (
      select b.id, b.total_fen from bills b join areas a on a.tenant_id = b.tenant_id and a.id = b.area_id
      where ${cond} and b.status = 'issued' and b.period_from >= ${from}::date and b.period_from < ${to}::date
    )
    select count(*)::int as bills, coalesce(sum(b.total_fen), 0)::float8 as billed,
      coalesce(sum((select coalesce(sum(x.amount_fen), 0) from ledger_entries d
        join ledger_allocations x on x.tenant_id = d.tenant_id and x.debit_entry_id = d.id
        where d.tenant_id = current_setting('app.tenant_id')::uuid and d.bill_id = b.id and d.amount_fen < 0)), 0)::float8 as collected
    from b`)) as unknown as { bills: number; billed: number; collected: number }[];
  const [arrears] = (await tx.execute(sql`
    select count(*)::int as accounts, coalesce(sum(s.arrears_fen), 0)::float8 as total,
      coalesce(sum(s.d0_30_fen), 0)::float8 as d0_30, coalesce(sum(s.d31_90_fen), 0)::float8 as d31_90,
      coalesce(sum(s.d91_180_fen), 0)::float8 as d91_180, coalesce(sum(s.d181_fen), 0)::float8 as d181,
      max(s.as_of)::text as as_of
    from stats_arrears s join areas a on a.tenant_id = s.tenant_id and a.id = s.area_id
    where ${cond}`)) as unknown as {
    accounts: number;
    total: number;
    d0_30: number;
    d31_90: number;
    d91_180: number;
    d181: number;
    as_of: string | null;
  }[];
  const states = (await tx.execute(sql`
    select p.state, count(*)::int as n from prepaid_accounts p
    join accounts ac on ac.tenant_id = p.tenant_id and ac.id = p.account_id
    join customers cu on cu.tenant_id = ac.tenant_id and cu.id = ac.customer_id
    join areas a on a.tenant_id = cu.tenant_id and a.id = cu.area_id
    where ${cond} group by p.state`)) as unknown as { state: string; n: number }[];
  const prepaid = Object.fromEntries(
    PREPAID_STATES.map((s) => [s, states.find((x) => x.state === s)?.n ?? 0]),
  );
  return {
    month: q.month,
    collection: {
      bills: collection.bills,
      billedFen: collection.billed,
      collectedFen: collection.collected,
      rate: rate(collection.collected, collection.billed),
    },
    arrears: {
      accounts: arrears.accounts,
      totalFen: arrears.total,
      ageing: {
        d0_30: arrears.d0_30,
        d31_90: arrears.d31_90,
        d91_180: arrears.d91_180,
        d181: arrears.d181,
      },
      asOf: arrears.as_of,
    },
    prepaid: prepaid as Record<(typeof PREPAID_STATES)[number], number>,
  };
}

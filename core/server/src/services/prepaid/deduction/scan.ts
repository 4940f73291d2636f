import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Tx } from '../../../db/client.ts';
import { rawClient } from '../../../db/raw-tx.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import { monthStart, nextMonth } from './days.ts';

const dialect = new PgDialect();

/** One installed meter of a prepaid account, with its month-to-date usage and what it was charged. */
export interface MeterDay {
  accountId: string;
  meterId: string;
  meterKind: string;
  /** the account's plan code for the meter's kind (null: none) */
  plan: string | null;
  lowIncome: boolean;
  householdSize: string | null;
  heatedArea: string | null;
  /** consumption_daily from the month's first day through the day, summed (0 when none) */
  usage: string;
  /** the meter's deduction postings this month: `category=fen=postings on the day` joined by ',' */
  prior: string | null;
  /** the latest day this month the meter was deducted for */
  lastDay: string | null;
  /** usage of the yearly tier cycle before the month (set for yearly-tier plans only) */
  yearToDate?: string;
}

/**
 * The set-based read of a deduction: every installed meter of every account prepaid on `day`
 * (optionally only some meters), with its usage from the month's first day through `day` summed
 * in one pass over the month's daily rows, and its deduction postings of the month summed from the
 * ledger's partial deduction index. Rows reach `each` in batches of `batch` through a cursor, so a
 * million meters are never held at once.
 */
export async function scanMeterDays(
  tx: Tx,
  day: string,
  meters: string[] | null,
  batch: number,
  each: (rows: MeterDay[]) => Promise<void>,
): Promise<void> {
  const from = monthStart(day);
  const to = nextMonth(day);
  const only = (col: string) => (meters ? sql`and ${sql.raw(col)} = any(${uuidArray(meters)})` : sql``);
  // a hash aggregate over the month's rows instead of walking the primary key (decision 0025)
  await tx.execute(sql`set local work_mem = '256MB'`);
  await tx.execute(sql`set local jit = off`);
  // the whole tenant: hash joins over the tables, not an index probe per account (the planner
  // cannot see through DISTINCT ON how many accounts are prepaid and guesses a handful)
  if (!meters) await tx.execute(sql`set local enable_nestloop = off`);
  const q = dialect.sqlToQuery(sql`
    with modes as (
      select distinct on (m.account_id) m.account_id, m.mode from account_billing_modes m
      where m.effective_from <= ${day}::date order by m.account_id, m.effective_from desc
    ), facts as (
      select f.customer_id,
        max(f.value::text) filter (where f.kind = 'household_size') as household,
        max(f.value::text) filter (where f.kind = 'heated_area_m2') as heated
      from (select distinct on (f.customer_id, f.kind) f.customer_id, f.kind, f.value from customer_facts f
            where f.effective_from <= ${day}::date and f.kind in ('household_size', 'heated_area_m2')
            order by f.customer_id, f.kind, f.effective_from desc) f
      group by f.customer_id
    ), u as (
      select d.meter_id, round(sum(d.usage), 6) as usage from consumption_daily d
      where d.day >= ${from}::date and d.day <= ${day}::date ${only('d.meter_id')}
      group by d.meter_id
    ), p as (
      select x.meter_id, string_agg(x.category || '=' || x.fen || '=' || x.n, ',') as prior, max(x.last) as last
      from (select e.meter_id, e.category, sum(e.amount_fen) as fen, max(e.occurred_on) as last,
              count(*) filter (where e.occurred_on = ${day}::date) as n
            from ledger_entries e
            where e.business_key like 'deduct:%' and e.occurred_on >= ${from}::date and e.occurred_on < ${to}::date
              ${only('e.meter_id')}
            group by e.meter_id, e.category) x
      group by x.meter_id
    )
    select a.id::text as "accountId", mt.id::text as "meterId", mt.kind as "meterKind",
      a.tariff_plans->>mt.kind as plan, c.low_income as "lowIncome", fa.household as "householdSize",
      fa.heated as "heatedArea", coalesce(u.usage, 0)::text as usage, p.prior, p.last::text as "lastDay"
    from modes md
    join accounts a on a.id = md.account_id
    join customers c on c.id = a.customer_id
    join meters mt on mt.account_id = a.id and mt.status = 'installed'
    left join facts fa on fa.customer_id = c.id
    left join u on u.meter_id = mt.id
    left join p on p.meter_id = mt.id
    where md.mode = 'prepaid' ${only('mt.id')}`);
  const cursor = rawClient(tx)
    .unsafe(q.sql, q.params as never[])
    .cursor(batch);
  for await (const rows of cursor) await each(rows as unknown as MeterDay[]);
}

/** Usage per meter from `since` up to `before` (yearToDate of yearly tiers), one grouped read. */
export async function usageSince(
  tx: Tx,
  meters: string[],
  since: string,
  before: string,
): Promise<Map<string, string>> {
  if (meters.length === 0 || since >= before) return new Map();
  const rows = (await tx.execute(sql`select d.meter_id::text as meter, round(sum(d.usage), 6)::text as usage
    from consumption_daily d where d.meter_id = any(${uuidArray(meters)})
      and d.day >= ${since}::date and d.day < ${before}::date group by d.meter_id`)) as unknown as {
    meter: string;
    usage: string;
  }[];
  return new Map(rows.map((r) => [r.meter, r.usage]));
}

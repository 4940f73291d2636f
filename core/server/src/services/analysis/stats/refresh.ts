import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';

/** A window of calendar days 'YYYY-MM-DD' (inclusive), in the tenant's zone. */
export interface DayWindow {
  from: string;
  to: string;
}

/**
 * Rebuilds stats_consumption_daily for the window from the per-meter daily rollup: per day, the
 * meter's area, its kind and its account's customer type. A meter's history follows it when it moves
 * to another area (the rollup is keyed by the meter's area at refresh time).
 */
export async function refreshConsumption(tx: Tx, w: DayWindow) {
  await tx.execute(
    sql`delete from stats_consumption_daily where day between ${w.from}::date and ${w.to}::date`,
  );
  const r = await tx.execute(sql`
    insert into stats_consumption_daily (tenant_id, day, area_id, meter_kind, customer_type, usage, meters)
    select m.tenant_id, c.day, m.area_id, m.kind, coalesce(cu.type, ''), sum(c.usage), count(*)::int
    from meters m
    join consumption_daily c on c.tenant_id = m.tenant_id and c.meter_id = m.id
      and c.day between ${w.from}::date and ${w.to}::date
    left join accounts a on a.tenant_id = m.tenant_id and a.id = m.account_id
    left join customers cu on cu.tenant_id = a.tenant_id and cu.id = a.customer_id
    group by m.tenant_id, c.day, m.area_id, m.kind, coalesce(cu.type, '')`);
  return r.count;
}

/**
 * Rebuilds stats_reading_daily for the window from the reading tasks created in it (their day in
 * `timeZone`): per area, concentrator and line, the meters with an outcome and those read.
 */
export async function refreshReading(tx: Tx, w: DayWindow, timeZone: string) {
  await tx.execute(sql`delete from stats_reading_daily where day between ${w.from}::date and ${w.to}::date`);
  const r = await tx.execute(sql`
    insert into stats_reading_daily (tenant_id, day, area_id, concentrator_id, line, attempted, succeeded)
    select tm.tenant_id, (t.created_at at time zone ${timeZone})::date, tm.area_id,
      coalesce(tm.concentrator_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(tm.line, ''),
      count(*)::int, count(*) filter (where tm.outcome in ('ok', 'pushed', 'fallback_daily'))::int
    from reading_tasks t
    join reading_task_meters tm on tm.tenant_id = t.tenant_id and tm.task_id = t.id
    where t.created_at >= (${w.from}::date::timestamp at time zone ${timeZone})
      and t.created_at < ((${w.to}::date + 1)::timestamp at time zone ${timeZone})
      and tm.outcome is not null
    group by 1, 2, 3, 4, 5`);
  return r.count;
}

/**
 * Rebuilds stats_arrears for the tenant: every account whose balance is negative, its arrears aged
 * by the business date of the charges not yet settled (newest first: the arrears are the newest
 * unsettled debits; what no unsettled debit explains counts as current).
 */
export async function refreshArrears(tx: Tx, asOf: string) {
  await tx.execute(sql`delete from stats_arrears`);
  const r = await tx.execute(sql`
    with owing as (
      select b.tenant_id, b.account_id, -b.balance_fen as arrears, cu.area_id
      from account_balances b
      join accounts a on a.tenant_id = b.tenant_id and a.id = b.account_id
      join customers cu on cu.tenant_id = a.tenant_id and cu.id = a.customer_id
      where b.balance_fen < 0
    ), open_debits as (
      select o.account_id, d.occurred_on,
        -d.amount_fen - coalesce((select sum(x.amount_fen) from ledger_allocations x
          where x.tenant_id = d.tenant_id and x.debit_entry_id = d.id), 0) as open_fen,
        d.id
      from owing o
      join ledger_entries d on d.tenant_id = o.tenant_id and d.account_id = o.account_id and d.amount_fen < 0
    ), aged as (
      select account_id, occurred_on, open_fen,
        sum(open_fen) over (partition by account_id order by occurred_on desc, id desc) as upto
      from open_debits where open_fen > 0
    ), parts as (
      select o.account_id, a.occurred_on,
        greatest(0, least(a.open_fen, o.arrears - (a.upto - a.open_fen))) as part
      from owing o join aged a on a.account_id = o.account_id
    ), buckets as (
      select account_id,
        sum(part) filter (where ${asOf}::date - occurred_on between 31 and 90) as d31,
        sum(part) filter (where ${asOf}::date - occurred_on between 91 and 180) as d91,
        sum(part) filter (where ${asOf}::date - occurred_on > 180) as d181
      from parts group by account_id
    )
    insert into stats_arrears (tenant_id, account_id, area_id, arrears_fen, d0_30_fen, d31_90_fen, d91_180_fen, d181_fen, as_of)
    select o.tenant_id, o.account_id, o.area_id, o.arrears,
      o.arrears - coalesce(b.d31, 0) - coalesce(b.d91, 0) - coalesce(b.d181, 0),
      coalesce(b.d31, 0), coalesce(b.d91, 0), coalesce(b.d181, 0), ${asOf}::date
    from owing o left join buckets b on b.account_id = o.account_id`);
  return r.count;
}

/** Rebuilds every stats rollup of the tenant for the window (arrears: as of its last day). */
export async function refreshStats(tx: Tx, w: DayWindow, timeZone: string) {
  return {
    consumption: await refreshConsumption(tx, w),
    reading: await refreshReading(tx, w, timeZone),
    arrears: await refreshArrears(tx, w.to),
  };
}

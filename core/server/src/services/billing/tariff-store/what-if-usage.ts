import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import type { Actor } from '../../identity/actor.ts';
import { cycleStartOn, dateOf, dayOf } from '../tariff/dates.ts';
import { D } from '../tariff/decimal.ts';
import type { Tariff } from '../tariff/index.ts';

export const WHAT_IF_MAX_ACCOUNTS = 5_000;

export interface WhatIfSelection {
  period: { from: string; to: string };
  accountIds?: string[];
  areaId?: string;
}

export interface MeterUsage {
  meterId: string;
  /** per day of the period (days without rows are 0) */
  daily: Map<string, string>;
  /** usage from each yearly cycle start (by month-day) to period.from */
  ytd: Record<string, string>;
}

export interface AccountUsage {
  accountId: string;
  number: string;
  customerName: string;
  lowIncome: boolean;
  householdSize?: number;
  heatedArea?: string;
  meters: MeterUsage[];
}

/** The month-day of each yearly tier cycle or yearly allowance a tariff uses. */
export function yearlyCycleStarts(t: Tariff): string[] {
  const out = new Set<string>();
  for (const v of t.versions)
    for (const c of v.components) {
      if (c.type !== 'usage') continue;
      if (c.tiers?.cycle === 'year') out.add(c.tiers.cycleStart ?? '01-01');
      else if (c.freeAllowance?.per === 'year') out.add('01-01');
    }
  return [...out];
}

/**
 * The accounts that name plan `code` for meter kind `kind`, within the actor's area scope and the
 * selection, with their meters' usage in the period: what the what-if prices. More than
 * WHAT_IF_MAX_ACCOUNTS is TARIFF_WHAT_IF_TOO_LARGE.
 */
export async function loadAccountUsage(
  tx: Tx,
  actor: Actor,
  plan: { code: string; kind: string },
  sel: WhatIfSelection,
  cycleStarts: string[],
): Promise<AccountUsage[]> {
  const accounts = await tx.execute<{
    id: string;
    number: string;
    name: string;
    low_income: boolean;
    household: string | null;
    heated: string | null;
  }>(sql`
    select a.id, a.number, c.name, c.low_income,
      (select f.value::text from customer_facts f where f.customer_id = c.id and f.kind = 'household_size'
         and f.effective_from < ${sel.period.to}::date order by f.effective_from desc limit 1) as household,
      (select f.value::text from customer_facts f where f.customer_id = c.id and f.kind = 'heated_area_m2'
         and f.effective_from < ${sel.period.to}::date order by f.effective_from desc limit 1) as heated
    from accounts a
    join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
    join areas ar on ar.tenant_id = c.tenant_id and ar.id = c.area_id
    where a.tariff_plans ->> ${plan.kind} = ${plan.code}
      ${actor.areaScope ? sql`and ar.path && ${uuidArray(actor.areaScope)}` : sql``}
      ${sel.areaId ? sql`and ar.path @> ${uuidArray([sel.areaId])}` : sql``}
      ${sel.accountIds ? sql`and a.id = any(${uuidArray(sel.accountIds)})` : sql``}
    order by a.number
    limit ${WHAT_IF_MAX_ACCOUNTS + 1}`);
  if (accounts.length > WHAT_IF_MAX_ACCOUNTS)
    throw new AppError('TARIFF_WHAT_IF_TOO_LARGE', undefined, { max: WHAT_IF_MAX_ACCOUNTS });
  if (accounts.length === 0) return [];
  const from = dayOf(sel.period.from);
  const starts = cycleStarts.map((md) => ({ md, on: dateOf(cycleStartOn(from, md)) }));
  const earliest = dateOf(Math.min(from, ...cycleStarts.map((md) => cycleStartOn(from, md))));
  const days = await tx.execute<{
    account_id: string;
    meter_id: string;
    day: string | null;
    usage: string;
  }>(sql`
    select m.account_id, m.id as meter_id, d.day::text as day, coalesce(d.usage, 0)::text as usage
    from meters m
    left join consumption_daily d on d.tenant_id = m.tenant_id and d.meter_id = m.id
      and d.day >= ${earliest}::date and d.day < ${sel.period.to}::date
    where m.kind = ${plan.kind} and m.account_id = any(${uuidArray(accounts.map((a) => a.id))})
    order by m.account_id, m.id, d.day`);
  const meters = new Map<string, MeterUsage & { accountId: string }>();
  for (const r of days) {
    let m = meters.get(r.meter_id);
    if (!m) {
      m = { accountId: r.account_id, meterId: r.meter_id, daily: new Map(), ytd: {} };
      for (const s of starts) m.ytd[s.md] = '0';
      meters.set(r.meter_id, m);
    }
    if (r.day === null) continue;
    if (r.day >= sel.period.from) m.daily.set(r.day, r.usage);
    for (const s of starts)
      if (r.day >= s.on && r.day < sel.period.from) m.ytd[s.md] = add(m.ytd[s.md], r.usage);
  }
  const byAccount = new Map<string, MeterUsage[]>();
  for (const m of meters.values()) byAccount.set(m.accountId, [...(byAccount.get(m.accountId) ?? []), m]);
  return accounts.map((a) => ({
    accountId: a.id,
    number: a.number,
    customerName: a.name,
    lowIncome: a.low_income,
    ...(a.household !== null && {
      householdSize: Math.min(100, Math.max(1, Math.round(Number(a.household)))),
    }),
    ...(a.heated !== null && { heatedArea: a.heated }),
    meters: byAccount.get(a.id) ?? [],
  }));
}

/** Exact decimal addition of decimal texts. */
const add = (a: string, b: string) => new D(a).plus(b).toFixed();

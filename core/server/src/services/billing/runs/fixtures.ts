import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';

/**
 * The monthly three-tier electricity tariff the run tests and the bench bill with, as the tariff
 * store keeps it: one version per stored body (the one in force from 2019-12-01).
 */
export function monthlyPowerTariff(): Record<string, unknown> {
  const url = new URL('../../../../../../docs/tariffs/beijing-electricity-monthly.json', import.meta.url);
  const { $schema: _s, ...body } = JSON.parse(readFileSync(url, 'utf8')) as {
    $schema?: string;
    versions: { effectiveFrom: string }[];
  };
  return { ...body, versions: body.versions.filter((v) => v.effectiveFrom === '2019-12-01') };
}

export const PLAN = 'bj-power-monthly';

/**
 * Publishes the tariff as version 1 of plan PLAN (meter-power), in force from 2019-12-01; in a
 * tenant whose demo seed already published PLAN, returns its stored version in force then.
 */
export async function seedPlan(tx: Tx): Promise<string> {
  const [p] = await tx.execute<{ id: string }>(sql`insert into tariff_plans (tenant_id, code, kind, name)
    values (app_tenant_id(), ${PLAN}, 'meter-power', 'power') on conflict (tenant_id, code) do nothing
    returning id::text as id`);
  if (!p) {
    const [seeded] = await tx.execute<{ id: string }>(sql`select v.id::text as id from tariff_versions v
      join tariff_plans p on p.id = v.plan_id where p.code = ${PLAN} and v.status = 'published'
      and v.effective_from <= '2019-12-01' order by v.effective_from desc limit 1`);
    return seeded.id;
  }
  const [v] = await tx.execute<{ id: string }>(sql`insert into tariff_versions (tenant_id, plan_id, version,
    effective_from, status, body) values (app_tenant_id(), ${p.id}, 1, '2019-12-01', 'published',
    ${JSON.stringify(monthlyPowerTariff())}::jsonb) returning id::text as id`);
  return v.id;
}

export interface SeedOptions {
  /** tag making numbers and ids unique per call */
  tag: string;
  n: number;
  areaId: string;
  from: string;
  /** days of consumption from `from` */
  days: number;
  /** accounts with no plan (each `noPlanEvery`-th), to exercise per-account failures */
  noPlanEvery?: number;
}

/**
 * n postpaid accounts with one power meter each and `days` of daily consumption, set-based (one
 * statement per table). Account g uses (g·37 mod 601)/days kWh a day, so monthly totals spread
 * over all three tiers; household g has 1 + g mod 7 persons (≥ 6 shift the tiers). Deterministic ids: md5(tag:kind:g).
 */
export async function seedAccounts(tx: Tx, o: SeedOptions): Promise<void> {
  const id = (k: string) => sql.raw(`md5('${o.tag}:${k}:' || g)::uuid`);
  const g = sql`generate_series(1, ${o.n}::int) g`;
  await tx.execute(sql`insert into customers (tenant_id, id, number, name, area_id)
    select app_tenant_id(), ${id('c')}, ${o.tag} || '-C' || lpad(g::text, 7, '0'), 'bench', ${o.areaId}::uuid from ${g}`);
  await tx.execute(sql`insert into accounts (tenant_id, id, customer_id, number, tariff_plans)
    select app_tenant_id(), ${id('a')}, ${id('c')}, ${o.tag} || '-A' || lpad(g::text, 7, '0'),
      case when ${o.noPlanEvery ?? 0}::int > 0 and g % ${o.noPlanEvery ?? 1}::int = 0 then '{}'::jsonb
        else jsonb_build_object('meter-power', ${PLAN}::text) end from ${g}`);
  await tx.execute(sql`insert into customer_facts (tenant_id, customer_id, kind, effective_from, value)
    select app_tenant_id(), ${id('c')}, 'household_size', '2000-01-01', 1 + g % 7 from ${g}`);
  await tx.execute(sql`insert into account_billing_modes (tenant_id, account_id, effective_from, mode)
    select app_tenant_id(), ${id('a')}, '2000-01-01', 'postpaid' from ${g}`);
  await tx.execute(sql`insert into meters (tenant_id, id, kind, asset_no, comm_address, protocol, area_id, account_id, status)
    select app_tenant_id(), ${id('m')}, 'meter-power', ${o.tag} || '-M' || g, ${o.tag} || g, 'dlt645-2007',
      ${o.areaId}::uuid, ${id('a')}, 'installed' from ${g}`);
  // in primary-key order (meters sorted by id, then days): the key's pages fill left to right
  // instead of taking each row on a random page — seeding 1,000,000 accounts is 31 M rows
  await tx.execute(sql`insert into consumption_daily (tenant_id, meter_id, day, usage, readings)
    select app_tenant_id(), s.meter_id, ${o.from}::date + d, round(((s.g * 37) % 601)::numeric / ${o.days}::int, 4), 1
    from (select ${id('m')} as meter_id, g from ${g} order by 1) s
    cross join lateral generate_series(0, ${o.days - 1}::int) d
    order by s.meter_id, d`);
}

/** An area at the root of the tenant. */
export async function seedArea(tx: Tx, name: string): Promise<string> {
  const id = crypto.randomUUID();
  await tx.execute(sql`insert into areas (tenant_id, id, name, kind, path)
    values (app_tenant_id(), ${id}, ${name}, 'district', array[${id}::uuid])`);
  return id;
}

/** A queued run row (what POST /bill-runs writes, without the job). */
export async function seedRun(tx: Tx, areaId: string | null, from: string, to: string): Promise<string> {
  const [r] = (await tx.execute(sql`insert into bill_runs (tenant_id, area_id, period_from, period_to)
    values (app_tenant_id(), ${areaId}::uuid, ${from}::date, ${to}::date) returning id::text as id`)) as unknown as {
    id: string;
  }[];
  return r.id;
}

import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';

/** A flat power tariff (one price per kWh, each line rounded to the fen, half up). */
export const FLAT_PLAN = 'flat-power';
export const FLAT_PRICE = '0.4883';

export function flatPowerTariff(): Record<string, unknown> {
  return {
    formatVersion: 1,
    code: FLAT_PLAN,
    name: { 'zh-CN': '单一电价', en: 'Flat power' },
    meterKind: 'power',
    rounding: { mode: 'half-up', scale: 2, at: 'line' },
    versions: [
      {
        version: '1',
        effectiveFrom: '2020-01-01',
        components: [
          {
            type: 'usage',
            id: 'energy',
            label: { 'zh-CN': '电费', en: 'Energy' },
            unit: 'kWh',
            price: FLAT_PRICE,
          },
        ],
      },
    ],
  };
}

/** Publishes the flat tariff as version 1 of FLAT_PLAN (meter-power), in force from 2020. */
export async function seedFlatPlan(tx: Tx): Promise<void> {
  const [p] = await tx.execute<{ id: string }>(sql`insert into tariff_plans (tenant_id, code, kind, name)
    values (app_tenant_id(), ${FLAT_PLAN}, 'meter-power', 'flat power') on conflict (tenant_id, code) do nothing
    returning id::text as id`);
  if (!p) return;
  await tx.execute(sql`insert into tariff_versions (tenant_id, plan_id, version, effective_from, status, body)
    values (app_tenant_id(), ${p.id}, 1, '2020-01-01', 'published', ${JSON.stringify(flatPowerTariff())}::jsonb)`);
}

export interface PrepaidSeed {
  /** makes numbers and ids unique per call */
  tag: string;
  n: number;
  areaId: string;
  /** the days of consumption: `days` days from `from` */
  from: string;
  days: number;
}

/**
 * n prepaid accounts on the flat plan with one installed power meter each and `days` days of
 * consumption, set-based (one statement per table). Account g uses (g·37 mod 601)/30 kWh a day
 * (601 distinct values); deterministic ids from md5(tag:kind:g).
 */
export async function seedPrepaidAccounts(tx: Tx, o: PrepaidSeed): Promise<void> {
  // md5 shaped as a version-4 uuid (what the API's id parameters accept)
  const h = (k: string) => `md5('${o.tag}:${k}:' || g)`;
  const id = (k: string) =>
    sql.raw(`(substr(${h(k)}, 1, 12) || '4' || substr(${h(k)}, 14, 3) || '8' || substr(${h(k)}, 18))::uuid`);
  const g = sql`generate_series(1, ${o.n}::int) g`;
  await tx.execute(sql`insert into customers (tenant_id, id, number, name, area_id)
    select app_tenant_id(), ${id('c')}, ${o.tag} || '-C' || lpad(g::text, 7, '0'), 'bench', ${o.areaId}::uuid from ${g}`);
  await tx.execute(sql`insert into accounts (tenant_id, id, customer_id, number, tariff_plans)
    select app_tenant_id(), ${id('a')}, ${id('c')}, ${o.tag} || '-A' || lpad(g::text, 7, '0'),
      jsonb_build_object('meter-power', ${FLAT_PLAN}::text) from ${g}`);
  await tx.execute(sql`insert into account_billing_modes (tenant_id, account_id, effective_from, mode)
    select app_tenant_id(), ${id('a')}, '2000-01-01', 'prepaid' from ${g}`);
  await tx.execute(sql`insert into meters (tenant_id, id, kind, asset_no, comm_address, protocol, area_id, account_id, status)
    select app_tenant_id(), ${id('m')}, 'meter-power', ${o.tag} || '-M' || g, ${o.tag} || g, 'dlt645-2007',
      ${o.areaId}::uuid, ${id('a')}, 'installed' from ${g}`);
  await tx.execute(sql`insert into consumption_daily (tenant_id, meter_id, day, usage, readings)
    select app_tenant_id(), ${id('m')}, ${o.from}::date + d, round(((g * 37) % 601)::numeric / 30, 4), 1
    from ${g}, generate_series(0, ${o.days - 1}::int) d`);
}

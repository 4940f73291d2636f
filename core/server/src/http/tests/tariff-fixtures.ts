import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';

/** A stored-version body: a flat-priced water tariff with one version, or tiers when given. */
export function waterBody(
  code: string,
  effectiveFrom: string,
  opts: { version?: string; price?: string; tiers?: { thresholds: string[]; prices: string[] } } = {},
) {
  const charge = opts.tiers
    ? { tiers: { cycle: 'month', thresholds: opts.tiers.thresholds, prices: opts.tiers.prices } }
    : { price: opts.price ?? '3.00' };
  return {
    formatVersion: 1,
    code,
    name: { 'zh-CN': '居民水价', en: 'Residential water' },
    meterKind: 'water',
    versions: [
      {
        version: opts.version ?? effectiveFrom.slice(0, 7),
        effectiveFrom,
        components: [
          { type: 'usage', id: 'water', label: { 'zh-CN': '水费', en: 'Water' }, unit: 'm³', ...charge },
        ],
      },
    ],
  };
}

/**
 * A customer in `areaId` with an account naming `code` for meter-water, one water meter, and the
 * given daily usage rows. Returns the account id.
 */
export async function waterAccount(
  tx: Tx,
  n: string,
  areaId: string,
  code: string,
  days: [string, string][],
  facts: { household?: number; lowIncome?: boolean } = {},
): Promise<string> {
  const [c] = await tx.execute<{
    id: string;
  }>(sql`insert into customers (tenant_id, number, name, area_id, low_income)
    values (app_tenant_id(), ${`TC${n}`}, ${`户${n}`}, ${areaId}, ${facts.lowIncome ?? false}) returning id`);
  if (facts.household)
    await tx.execute(sql`insert into customer_facts (tenant_id, customer_id, kind, effective_from, value)
      values (app_tenant_id(), ${c.id}, 'household_size', '2020-01-01', ${facts.household})`);
  const [a] = await tx.execute<{
    id: string;
  }>(sql`insert into accounts (tenant_id, customer_id, number, tariff_plans)
    values (app_tenant_id(), ${c.id}, ${`TA${n}`}, ${JSON.stringify({ 'meter-water': code })}::jsonb) returning id`);
  const [m] = await tx.execute<{ id: string }>(sql`insert into meters
      (tenant_id, kind, asset_no, comm_address, protocol, area_id, account_id, status)
    values (app_tenant_id(), 'meter-water', ${`TW${n}`}, ${`90${n.padStart(10, '0')}`}, 'cjt188', ${areaId}, ${a.id}, 'installed')
    returning id`);
  for (const [day, usage] of days)
    await tx.execute(sql`insert into consumption_daily (tenant_id, meter_id, day, usage, readings)
      values (app_tenant_id(), ${m.id}, ${day}::date, ${usage}::numeric, 1)`);
  return a.id;
}

import { sql } from 'drizzle-orm';
import type { Tx } from './db/client.ts';
import { exampleJson } from './services/billing/tariff/examples.ts';
import { PLAN_KINDS, type PlanKind } from './services/billing/tariff-store/index.ts';

/** docs/tariffs examples the demo tenant prices its estate with, per meter kind and customer type. */
export const DEMO_TARIFFS = {
  'meter-water': 'beijing-water',
  'meter-power': 'beijing-electricity-monthly',
  'meter-gas': 'beijing-gas',
  'meter-heat': 'beijing-heat-area',
} as const satisfies Record<PlanKind, string>;
/** non-resident customers' water */
const BUSINESS_WATER = 'beijing-water-nonresidential';

type Example = {
  code: string;
  name: { 'zh-CN': string };
  description?: string;
  versions: { effectiveFrom: string }[];
};

/** One plan per example, each of its versions stored as a published single-version body. */
async function seedPlan(tx: Tx, kind: PlanKind, file: string): Promise<string> {
  const ex = exampleJson(file) as Example;
  const [made] = await tx.execute<{
    id: string;
  }>(sql`insert into tariff_plans (tenant_id, code, kind, name, description)
    values (app_tenant_id(), ${ex.code}, ${kind}, ${ex.name['zh-CN']}, ${ex.description ?? ''})
    on conflict (tenant_id, code) do nothing returning id`);
  if (!made) return ex.code; // seeded before: published versions never change
  for (const [i, v] of ex.versions.entries()) {
    const { $schema: _s, ...rest } = ex as Example & { $schema?: string };
    const body = { ...rest, versions: [v] };
    await tx.execute(sql`insert into tariff_versions (tenant_id, plan_id, version, effective_from, status, body,
        note, published_at)
      values (app_tenant_id(), ${made.id}, ${i + 1}, ${v.effectiveFrom}::date, 'published',
        ${JSON.stringify(body)}::jsonb, ${`docs/tariffs/${file}.json`}, now())`);
  }
  return ex.code;
}

/**
 * The demo tenant's tariff plans (one per meter kind, plus non-resident water) published from the
 * docs/tariffs examples, and every account that names no plans yet pointed at them for the kinds
 * of its meters. Idempotent.
 */
export async function seedDemoTariffs(tx: Tx): Promise<void> {
  const codes: Record<string, string> = {};
  for (const kind of Object.keys(PLAN_KINDS) as PlanKind[])
    codes[kind] = await seedPlan(tx, kind, DEMO_TARIFFS[kind]);
  const business = await seedPlan(tx, 'meter-water', BUSINESS_WATER);
  await tx.execute(sql`update accounts a set tariff_plans = k.plans
    from (select a2.id, jsonb_object_agg(m.kind,
            case when m.kind = 'meter-water' and c.type <> 'resident' then ${business}
                 else ${JSON.stringify(codes)}::jsonb ->> m.kind end) as plans
          from accounts a2 join customers c on c.tenant_id = a2.tenant_id and c.id = a2.customer_id
          join meters m on m.tenant_id = a2.tenant_id and m.account_id = a2.id
          where a2.tariff_plans = '{}'::jsonb and ${JSON.stringify(codes)}::jsonb ? m.kind
          group by a2.id) k
    where a.id = k.id`);
}

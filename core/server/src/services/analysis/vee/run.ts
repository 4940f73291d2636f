import type { AnomalyRule, Medium } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { MeterKinds } from '../../archives/meter-kinds.ts';
import type { RuleSetting } from './catalogue.ts';
import { diagnoseEstate } from './estate.ts';
import { loadEstate } from './load.ts';
import { recordHits } from './record.ts';

/** The tenant's rule settings (thresholds per medium and area, rules switched off). */
export async function loadRuleSettings(tx: Tx): Promise<RuleSetting[]> {
  return (await tx.execute(sql`
    select rule, medium, area_id::text as "areaId", enabled, params from anomaly_rule_settings
    order by rule`)) as unknown as RuleSetting[];
}

/**
 * Diagnoses the tenant's meters (all installed ones, or those named and their masters) as of `now`
 * and records what fired in the exception queue. Runs inside the tenant's transaction.
 */
export async function runDiagnosis(
  tx: Tx,
  tenantId: string,
  kinds: MeterKinds,
  now: Date,
  meterIds: readonly string[] | null = null,
): Promise<{ meters: number; opened: number; repeated: number }> {
  const estate = await loadEstate(tx, kinds, now, meterIds);
  const pluginRules: Partial<Record<Medium, readonly AnomalyRule[]>> = {};
  for (const id of kinds.ids) {
    const p = kinds.plugin(id);
    pluginRules[p.medium] = [...(pluginRules[p.medium] ?? []), ...p.defaultAnomalyRules];
  }
  const findings = diagnoseEstate(estate, await loadRuleSettings(tx), pluginRules);
  let opened = 0;
  let repeated = 0;
  for (const [meterId, hits] of findings) {
    const r = await recordHits(tx, tenantId, meterId, estate.areaOf.get(meterId) as string, hits, now);
    opened += r.opened;
    repeated += r.repeated;
  }
  return { meters: estate.meters.length, opened, repeated };
}

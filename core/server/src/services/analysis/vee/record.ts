import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { RuleHit } from './types.ts';

/**
 * Puts a meter's hits in the exception queue: a rule with an open (or assigned) finding for the
 * meter updates it — last seen, occurrences + 1, the latest evidence and severity — instead of
 * piling up; otherwise a new finding opens (with an `opened` history entry). Answers how many
 * findings opened and how many were repeats.
 */
export async function recordHits(
  tx: Tx,
  tenantId: string,
  meterId: string,
  areaId: string,
  hits: readonly RuleHit[],
  at: Date,
): Promise<{ opened: number; repeated: number }> {
  let opened = 0;
  let repeated = 0;
  for (const h of hits) {
    const [row] = (await tx.execute(sql`
      insert into anomaly_findings (tenant_id, meter_id, area_id, rule, severity, first_seen_at, last_seen_at, evidence)
      values (${tenantId}, ${meterId}, ${areaId}, ${h.rule}, ${h.severity}, ${at.toISOString()}::timestamptz,
        ${at.toISOString()}::timestamptz, ${JSON.stringify(h.evidence)}::jsonb)
      on conflict (tenant_id, meter_id, rule) where status in ('open', 'assigned') do update set
        last_seen_at = greatest(anomaly_findings.last_seen_at, excluded.last_seen_at),
        occurrences = anomaly_findings.occurrences + 1,
        severity = excluded.severity, evidence = excluded.evidence, area_id = excluded.area_id
      returning id::text as id, (xmax = 0) as inserted`)) as unknown as { id: string; inserted: boolean }[];
    if (!row) continue;
    if (row.inserted) {
      opened++;
      await tx.execute(sql`
        insert into anomaly_finding_events (tenant_id, finding_id, at, action, actor_name, note)
        values (${tenantId}, ${row.id}, ${at.toISOString()}::timestamptz, 'opened', 'VEE', ${h.evidence.summary.slice(0, 500)})`);
    } else repeated++;
  }
  return { opened, repeated };
}

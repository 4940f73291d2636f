import type { IngestOutcome } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { MeterKinds } from '../archives/meter-kinds.ts';
import { type Item, ingestTenant } from './ingest-tenant.ts';
import { utcMonth } from './partitions.ts';
import { KIND_CODES } from './prepare.ts';
import { zone } from './zone.ts';

/** The lifecycle's zone, as lifecycle.ts reckons install dates. */
const lifecycleZone = zone('Asia/Shanghai');

export interface EventPoint {
  meter: { id: string; kind: string; digits: number; initialReading: string };
  /** the event's instant (ISO); now when absent */
  at?: string;
  /** the main register's value */
  value: string;
  role: 'initial' | 'final';
}

/**
 * A lifecycle event's readings (a replaced or removed meter's final reading, its successor's
 * initial one) as manual readings of the meters' series, in the caller's tenant transaction, so the
 * consumption rollups close the old meter's run and open the new one's: the sum over both meters
 * equals the consumption across the replacement. A partition missing for a back-dated event is
 * created here (through the definer function the app role may call).
 */
export async function storeEventReadings(
  tx: Tx,
  tenantId: string,
  kinds: MeterKinds,
  points: EventPoint[],
): Promise<IngestOutcome[]> {
  const now = Date.now();
  const items: Item[] = points.map((p, n) => {
    const ts = p.at ? Date.parse(p.at) : now;
    const at = new Date(ts).toISOString();
    return {
      n,
      raw: {
        route: { via: 'serial', line: 'lifecycle', address: p.meter.id },
        kind: 'manual',
        measuredAt: at,
        receivedAt: at,
        registers: { [kinds.mainRegister(p.meter.kind).key]: p.value },
        idempotencyKey: `lifecycle:${p.role}:${p.meter.id}:${at}`,
      },
      meter: {
        tenantId,
        meterId: p.meter.id,
        kind: p.meter.kind,
        digits: p.meter.digits,
        initialReading: p.meter.initialReading,
      },
      kind: KIND_CODES.manual,
      ts,
      receivedAt: now,
    };
  });
  for (const m of new Set(items.map((i) => utcMonth(i.ts))))
    await tx.execute(sql`select readings_ensure_partition(${`${m}-01`}::date)`);
  const outcomes: IngestOutcome[] = new Array(items.length);
  await ingestTenant(tx, { kinds, zone: lifecycleZone }, tenantId, items, outcomes);
  return outcomes;
}

import type { IngestOutcome, RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { withTenant } from '../../db/tenant.ts';
import { stateMatches } from './actions.ts';
import { stateOfReading } from './deliver.ts';
import { settle } from './settle.ts';

/**
 * A pushed reading confirms a command waiting for its meter (NB-IoT, LoRa: handed to the platform,
 * delivered when the device woke): the first reading received after the command was sent whose
 * `valve` / `relay` state shows the action's effect settles it confirmed. A reading still showing
 * the old state (sent before the device took the command) leaves it waiting.
 */
export async function confirmFromReadings(
  db: Db,
  readings: readonly RawReading[],
  outcomes: readonly IngestOutcome[],
): Promise<number> {
  const byTenant = new Map<string, { meterId: string; at: string; reading: RawReading }[]>();
  readings.forEach((r, i) => {
    const o = outcomes[i];
    if (!o || (o.status !== 'stored' && o.status !== 'duplicate')) return;
    if (r.route.via !== 'nbiot' && r.route.via !== 'lora') return;
    if (!stateOfReading(r)) return;
    const list = byTenant.get(o.tenantId) ?? [];
    list.push({ meterId: o.meterId, at: r.receivedAt, reading: r });
    byTenant.set(o.tenantId, list);
  });
  let confirmed = 0;
  for (const [tenantId, list] of byTenant) {
    confirmed += await withTenant(db, tenantId, async (tx) => {
      const waiting = (await tx.execute(sql`
        select id::text as id, meter_id::text as "meterId", action, sent_at as "sentAt" from meter_commands
        where status = 'sent' and awaiting and meter_id = any(${uuidArray(list.map((l) => l.meterId))})
        for update skip locked`)) as unknown as {
        id: string;
        meterId: string;
        action: Parameters<typeof stateMatches>[0];
        sentAt: Date | string;
      }[];
      let n = 0;
      for (const w of waiting) {
        const sent = new Date(w.sentAt).getTime();
        const hit = list.find(
          (l) =>
            l.meterId === w.meterId &&
            Date.parse(l.at) >= sent &&
            stateMatches(w.action, stateOfReading(l.reading)) === true,
        );
        if (
          hit &&
          (await settle(tx, w.id, {
            status: 'confirmed',
            verified: true,
            state: stateOfReading(hit.reading),
            detail: 'confirmed by the next uplink',
          }))
        )
          n++;
      }
      return n;
    });
  }
  return confirmed;
}

import type { MeterTypePlugin } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { findMeter } from '../archives/meters.ts';
import type { Actor } from '../identity/actor.ts';
import { meterReadings } from '../reading-tasks/series.ts';
import { manualEntries } from './manual.ts';
import { todayStartSql, toItem, workRows } from './work-list.ts';

/**
 * One meter's card for the field app: the work-list row (state flags, balance, last reading), the
 * latest readings with their status bits, and the manual entries made in the field with photos.
 */
export async function meterCard(
  tx: Tx,
  actor: Actor,
  id: string,
  tz: string,
  meterType: (kind: string) => MeterTypePlugin | undefined,
) {
  await findMeter(tx, actor, id);
  const today = todayStartSql(tz);
  const [row] = (await tx.execute(sql`with ${workRows(sql`m.id = ${id}`, null)}
    select w.*, w.last_outcome as "lastOutcome", w.conc_online as "concOnline",
      (extract(epoch from ${today}) * 1000)::float8 as "todayMs" from w`)) as unknown as (Parameters<
    typeof toItem
  >[0] & { todayMs: number })[];
  const readings = await meterReadings(tx, actor, id, { limit: 10 }, meterType);
  return {
    meter: toItem(row, row.todayMs),
    readings: readings.items,
    manual: await manualEntries(tx, id, 10),
  };
}

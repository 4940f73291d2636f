import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { countReads } from '../../metrics/reads.ts';
import { pgArray } from '../readings/pg-array.ts';
import { KIND_CODES } from '../readings/prepare.ts';
import type { Zone } from '../readings/zone.ts';
import type { Outcome, TaskKind } from './kinds.ts';

/** One meter's outcome in a round, with the key of the reading it stored. */
export interface MeterOutcome {
  meterId: string;
  outcome: Outcome;
  detail?: string | null;
  transport?: string | null;
  /** the stored reading: kind code and key instant (ms) */
  reading?: { kind: number; ts: number } | null;
  /** counts as an attempt (a read was made or refused); default true */
  attempt?: boolean;
}

/** Writes a batch of outcomes in one statement. */
export async function recordOutcomes(tx: Tx, taskId: string, list: readonly MeterOutcome[]): Promise<void> {
  if (list.length === 0) return;
  await tx.execute(sql`
    update reading_task_meters tm set outcome = u.outcome, detail = u.detail,
      attempts = least(tm.attempts + u.inc, 32767), transport = coalesce(u.transport, tm.transport),
      reading_kind = u.rk, reading_ts = u.rts, updated_at = now()
    from unnest(${pgArray(list.map((o) => o.meterId))}::uuid[], ${pgArray(list.map((o) => o.outcome))}::text[],
      ${pgArray(list.map((o) => o.detail?.slice(0, 500) ?? null))}::text[],
      ${pgArray(list.map((o) => (o.attempt === false ? 0 : 1)))}::int[],
      ${pgArray(list.map((o) => o.transport ?? null))}::text[],
      ${pgArray(list.map((o) => o.reading?.kind ?? null))}::smallint[],
      ${pgArray(list.map((o) => (o.reading ? new Date(o.reading.ts).toISOString() : null)))}::timestamptz[])
      as u(meter_id, outcome, detail, inc, transport, rk, rts)
    where tm.task_id = ${taskId} and tm.meter_id = u.meter_id`);
  countReads(list);
}

interface Found {
  meterId: string;
  kind: number;
  ms: number;
}

/**
 * Pending meters whose reading is already stored: for a real-time task one received since the
 * task started (a run killed between storing and recording it), for a frozen task the value for
 * its date or month. They are settled 'ok' without another read, so a resumed task stores nothing
 * twice.
 */
export async function alreadyStored(
  tx: Tx,
  task: { id: string; kind: TaskKind; frozenFor: string | null; startedAt: string },
  meterIds: readonly string[],
  z: Zone,
): Promise<MeterOutcome[]> {
  if (meterIds.length === 0) return [];
  const ids = sql`${pgArray(meterIds)}::uuid[]`;
  const rows = (task.kind === 'realtime'
    ? await tx.execute(sql`
          select distinct on (r.meter_id) r.meter_id::text as "meterId", r.kind, (extract(epoch from r.ts) * 1000)::float8 as ms
          from readings r where r.meter_id = any(${ids}) and r.kind = 1
            and r.ts >= ${task.startedAt}::timestamptz - interval '1 day'
            and r.received_at >= ${task.startedAt}::timestamptz
          order by r.meter_id, r.ts desc`)
    : await tx.execute(sql`
          select r.meter_id::text as "meterId", r.kind, (extract(epoch from r.ts) * 1000)::float8 as ms from readings r
          where r.meter_id = any(${ids}) and r.kind = ${KIND_CODES[task.kind]}
            and r.ts = ${new Date(z.startOf(task.frozenFor as string)).toISOString()}::timestamptz`)) as unknown as Found[];
  return rows.map((r) => ({
    meterId: r.meterId,
    outcome: 'ok',
    detail: 'already stored',
    reading: { kind: r.kind, ts: Number(r.ms) },
    attempt: false,
  }));
}

/**
 * Push-only meters (NB-IoT, LoRa) cannot be polled: they are answered with the latest stored
 * reading in the window — a real-time task takes the latest real-time reading received within
 * `windowMs` before the task started (or since), a frozen task the stored value for its date or
 * month — as 'pushed', else 'push_only' (nothing to read; not retried).
 */
export async function pushedReadings(
  tx: Tx,
  task: { kind: TaskKind; frozenFor: string | null; startedAt: string },
  meterIds: readonly string[],
  z: Zone,
  windowMs: number,
): Promise<MeterOutcome[]> {
  if (meterIds.length === 0) return [];
  const ids = sql`${pgArray(meterIds)}::uuid[]`;
  const rows = (task.kind === 'realtime'
    ? await tx.execute(sql`
          select distinct on (r.meter_id) r.meter_id::text as "meterId", r.kind, (extract(epoch from r.ts) * 1000)::float8 as ms
          from readings r where r.meter_id = any(${ids}) and r.kind = 1
            and r.ts >= ${task.startedAt}::timestamptz - make_interval(secs => ${windowMs / 1000})
          order by r.meter_id, r.ts desc`)
    : await tx.execute(sql`
          select r.meter_id::text as "meterId", r.kind, (extract(epoch from r.ts) * 1000)::float8 as ms from readings r
          where r.meter_id = any(${ids}) and r.kind = ${KIND_CODES[task.kind]}
            and r.ts = ${new Date(z.startOf(task.frozenFor as string)).toISOString()}::timestamptz`)) as unknown as Found[];
  const found = new Map(rows.map((r) => [r.meterId, r]));
  return meterIds.map((meterId) => {
    const r = found.get(meterId);
    return r
      ? { meterId, outcome: 'pushed', detail: null, reading: { kind: r.kind, ts: Number(r.ms) } }
      : { meterId, outcome: 'push_only', detail: 'No pushed reading in the window' };
  });
}

import { AppError, type MeterTypePlugin, type StatusFlags } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../archives/list-kit.ts';
import { findMeter } from '../archives/meters.ts';
import type { Actor } from '../identity/actor.ts';
import { KIND_CODES } from '../readings/prepare.ts';
import type { Zone } from '../readings/zone.ts';
import { READING_KIND_NAMES } from './reading-key.ts';

export interface ReadingPoint {
  kind: string;
  ts: string;
  value: string | null;
  registers: Record<string, string | null> | null;
  flags: string[];
  receivedAt: string;
  /** the status word, the protocol it came from and its fields as the meter type decodes them */
  status: { word: number; protocol: string | null; fields: StatusFlags } | null;
}

type Row = Omit<ReadingPoint, 'kind' | 'status'> & {
  kind: number;
  status: string | null;
  statusProtocol: string | null;
};

const TS = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** A meter's stored readings (of one kind, or all), newest first, keyset-paged by instant. */
export async function meterReadings(
  tx: Tx,
  actor: Actor,
  meterId: string,
  q: { kind?: keyof typeof KIND_CODES; from?: string; to?: string; limit: number; after?: string },
  meterType: (kind: string) => MeterTypePlugin | undefined,
) {
  const { m } = await findMeter(tx, actor, meterId);
  const plugin = meterType(m.kind);
  const cursor = q.after ? decodeCursor(q.after, 'ts') : null;
  const [afterTs, afterKind] = cursor ? String(cursor.key).split('|') : [];
  if (cursor && (Number.isNaN(Date.parse(afterTs)) || !/^[1-5]$/.test(afterKind ?? '')))
    throw new AppError('LIST_CURSOR_INVALID');
  const rows = (await tx.execute(sql`
    select r.kind, ${TS('r.ts')} as ts, r.value::text as value, r.registers, coalesce(r.flags, '{}') as flags,
      ${TS('r.received_at')} as "receivedAt", r.status::text as status, r.status_protocol as "statusProtocol"
    from readings r where r.meter_id = ${meterId}
      ${q.kind ? sql`and r.kind = ${KIND_CODES[q.kind]}` : sql``}
      ${q.from ? sql`and r.ts >= ${q.from}::timestamptz` : sql``}
      ${q.to ? sql`and r.ts < ${q.to}::timestamptz` : sql``}
      ${cursor ? sql`and (r.ts, r.kind) < (${afterTs}::timestamptz, ${Number(afterKind)})` : sql``}
    order by r.ts desc, r.kind desc limit ${q.limit + 1}`)) as unknown as Row[];
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit).map(({ statusProtocol, ...r }): ReadingPoint => {
    const word = r.status === null ? null : Number(r.status);
    return {
      ...r,
      kind: READING_KIND_NAMES[r.kind] ?? String(r.kind),
      status:
        word === null
          ? null
          : {
              word,
              protocol: statusProtocol,
              fields: plugin?.decodeStatus(word, statusProtocol ?? undefined) ?? {},
            },
    };
  });
  const last = rows[Math.min(rows.length, q.limit) - 1];
  const next = more && last ? encodeCursor('ts', `${last.ts}|${last.kind}`, meterId) : null;
  return { items, next };
}

const DAY = 86_400_000;

/**
 * A meter's consumption per day (consumption_daily) or month (consumption_monthly) in the tenant's
 * zone, oldest first: by default the last 31 days / 12 months; at most 366 days / 120 months.
 */
export async function meterConsumption(
  tx: Tx,
  actor: Actor,
  meterId: string,
  q: { granularity: 'day' | 'month'; from?: string; to?: string },
  z: Zone,
  now = Date.now(),
) {
  await findMeter(tx, actor, meterId);
  const today = z.dayOf(now);
  if (q.granularity === 'day') {
    const to = q.to ?? today;
    const from = q.from ?? z.dayOf(now - 30 * DAY);
    if (from > to || Date.parse(to) - Date.parse(from) > 365 * DAY)
      throw new AppError('REQ_VALIDATION', 'A day series spans at most 366 days', [
        { path: 'from', message: 'from must be on or before to, at most 366 days apart' },
      ]);
    const rows = (await tx.execute(sql`
      select to_char(day, 'YYYY-MM-DD') as period, usage::text as usage, readings, rolled_over as "rolledOver"
      from consumption_daily where meter_id = ${meterId} and day between ${from}::date and ${to}::date
      order by day`)) as unknown as {
      period: string;
      usage: string;
      readings: number;
      rolledOver: boolean;
    }[];
    return { granularity: 'day' as const, from, to, items: rows };
  }
  const to = q.to ?? today.slice(0, 7);
  const [y, m] = today.split('-').map(Number);
  const from = q.from ?? new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 7);
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5));
  if (months < 0 || months >= 120)
    throw new AppError('REQ_VALIDATION', 'A month series spans at most 120 months', [
      { path: 'from', message: 'from must be on or before to, at most 120 months apart' },
    ]);
  const rows = (await tx.execute(sql`
    select to_char(month, 'YYYY-MM') as period, usage::text as usage, readings, rolled_over as "rolledOver"
    from consumption_monthly where meter_id = ${meterId}
      and month between ${`${from}-01`}::date and ${`${to}-01`}::date
    order by month`)) as unknown as {
    period: string;
    usage: string;
    readings: number;
    rolledOver: boolean;
  }[];
  return { granularity: 'month' as const, from, to, items: rows };
}

import type { IngestOutcome, MeterReading, RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { MeterKinds } from '../archives/meter-kinds.ts';
import { tenantPluginSettings } from '../plugins/tenant-plugins.ts';
import type { ResolvedMeter } from './device-registry.ts';
import { meterCalcs, type TypeInfo } from './meter-calc.ts';
import { pgArray } from './pg-array.ts';
import { splitValues } from './prepare.ts';
import {
  Buckets,
  type MeterCalc,
  type Point,
  pointBefore,
  recompute,
  rollupCtes,
  writeBuckets,
} from './rollups.ts';
import { type ReadingRow, storeRows } from './store.ts';
import type { Zone } from './zone.ts';

/** A reading resolved to a meter of this tenant, with its key instant. */
export interface Item {
  n: number;
  raw: RawReading;
  meter: ResolvedMeter;
  kind: number;
  ts: number;
  receivedAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

type StateRow = { meterId: string } & (Point | { ts: null });

/** Locks (creating where missing) each meter's series state; answers the latest point per meter. */
async function lockState(tx: Tx, tenantId: string, meterIds: string[]): Promise<Map<string, Point | null>> {
  const select = async (ids: string[]) =>
    (await tx.execute(sql`
      select meter_id::text as "meterId", (extract(epoch from ts) * 1000)::float8 as ts, kind::int as kind,
        value::text as value
      from reading_state where tenant_id = ${tenantId} and meter_id = any(${pgArray(ids)}::uuid[])
      order by meter_id for update`)) as unknown as StateRow[];
  const rows = await select(meterIds);
  const out = new Map(rows.map((r) => [r.meterId, r.ts === null ? null : (r as Point)]));
  const missing = meterIds.filter((m) => !out.has(m)).sort();
  if (missing.length > 0) {
    // a meter's first batch: its row is created (or, raced by another batch, found and locked)
    await tx.execute(sql`
      insert into reading_state (tenant_id, meter_id)
      select ${tenantId}::uuid, m from unnest(${pgArray(missing)}::uuid[]) m order by m on conflict do nothing`);
    for (const r of await select(missing)) out.set(r.meterId, r.ts === null ? null : (r as Point));
  }
  return out;
}

function issueFlag(i: { code: string; register?: string }) {
  return i.register ? `${i.code}:${i.register}` : i.code;
}

/** Groups by meter; the same idempotency key or (meter, kind, ts) twice in a batch is a duplicate. */
function dedupe(items: Item[], tenantId: string, outcomes: IngestOutcome[]) {
  const byMeter = new Map<string, Item[]>();
  const seenKeys = new Set<string>();
  const seenPk = new Set<string>();
  for (const it of items) {
    const pk = `${it.meter.meterId}|${it.kind}|${it.ts}`;
    if (seenKeys.has(it.raw.idempotencyKey) || seenPk.has(pk)) {
      outcomes[it.n] = { status: 'duplicate', tenantId, meterId: it.meter.meterId };
      continue;
    }
    seenKeys.add(it.raw.idempotencyKey);
    seenPk.add(pk);
    const list = byMeter.get(it.meter.meterId) ?? byMeter.set(it.meter.meterId, []).get(it.meter.meterId);
    list?.push(it);
  }
  return byMeter;
}

interface MeterBatch {
  tx: Tx;
  tenantId: string;
  meterId: string;
  t: TypeInfo;
  calc: MeterCalc;
  /** the meter's latest stored point before this batch */
  latest: Point | null;
  outcomes: IngestOutcome[];
}

/**
 * Validates one meter's readings in time order, each against the point before it (the batch's
 * previous accepted reading, the meter's latest, or for an out-of-order reading the stored one
 * before it): errors reject, warnings and notes become flags. Answers the rows to store.
 */
async function validateMeter(b: MeterBatch, list: Item[]): Promise<ReadingRow[]> {
  const { t, latest, meterId } = b;
  const rows: ReadingRow[] = [];
  let last: Point | null = null;
  for (const it of list) {
    const v = splitValues(it.raw, t.registers, t.main.key);
    if (v.reasons.length > 0) {
      b.outcomes[it.n] = { status: 'rejected', tenantId: b.tenantId, meterId, reasons: v.reasons };
      continue;
    }
    let prev: Point | null = latest && latest.ts < it.ts ? latest : null;
    if (latest && latest.ts >= it.ts) prev = await pointBefore(b.tx, b.tenantId, meterId, it.ts, true);
    if (last && (!prev || last.ts > prev.ts)) prev = last;
    const next: MeterReading = {
      ts: iso(it.ts),
      registers: v.forPlugin,
      ...(it.raw.status && { status: it.raw.status.word, statusProtocol: it.raw.status.protocol }),
    };
    const issues = t.plugin.validate(
      prev && { ts: iso(prev.ts), registers: { [t.main.key]: Number(prev.value) } },
      next,
      { settings: b.calc.settings },
    );
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      b.outcomes[it.n] = {
        status: 'rejected',
        tenantId: b.tenantId,
        meterId,
        reasons: errors.map((i) => ({
          code: i.code,
          message: i.message,
          ...(i.register && { register: i.register }),
        })),
      };
      continue;
    }
    rows.push({
      n: it.n,
      meterId,
      kind: it.kind,
      ts: it.ts,
      value: v.main,
      registers: v.others,
      flags: [...v.flags, ...issues.map(issueFlag)],
      status: it.raw.status?.word ?? null,
      statusProtocol: it.raw.status?.protocol ?? null,
      receivedAt: it.receivedAt,
      idemKey: it.raw.idempotencyKey,
    });
    if (v.main !== null) last = { ts: it.ts, kind: it.kind, value: v.main };
  }
  return rows;
}

/** The value readings (points of the series) of each meter, in time order. */
function pointsBy(rows: readonly ReadingRow[]) {
  const by = new Map<string, ReadingRow[]>();
  for (const r of rows) {
    if (r.value === null) continue;
    const list = by.get(r.meterId) ?? by.set(r.meterId, []).get(r.meterId);
    list?.push(r);
  }
  return by;
}

/**
 * The incremental rollups of the meters whose readings all come after their latest point: the
 * buckets of their intervals and their new latest points. Meters with a reading at or before it
 * are left out (`late`): their rollups are recomputed from the stored readings.
 */
function plan(
  z: Zone,
  pointsOf: Map<string, ReadingRow[]>,
  calcs: Map<string, MeterCalc>,
  state: Map<string, Point | null>,
) {
  const buckets = new Buckets(z);
  const newState = new Map<string, Point>();
  const late: string[] = [];
  for (const [meterId, list] of pointsOf) {
    const calc = calcs.get(meterId);
    if (!calc) continue;
    const latest = state.get(meterId) ?? null;
    if (latest && list[0].ts <= latest.ts) {
      late.push(meterId);
      continue;
    }
    let prev = latest?.value ?? calc.initialReading;
    for (const r of list) {
      const p = { ts: r.ts, kind: r.kind, value: r.value as string };
      buckets.add(calc, prev, p);
      prev = p.value;
    }
    const end = list[list.length - 1];
    newState.set(meterId, { ts: end.ts, kind: end.kind, value: end.value as string });
  }
  return { buckets, newState, late };
}

/**
 * Adds the stored readings' consumption to the rollups of the meters not rolled up with the store:
 * incrementally after each meter's latest point, by recomputation from the month of the earliest
 * for a meter with a reading at or before it.
 */
async function rollStored(
  tx: Tx,
  z: Zone,
  tenantId: string,
  storedBy: Map<string, ReadingRow[]>,
  calcs: Map<string, MeterCalc>,
  state: Map<string, Point | null>,
) {
  const { buckets, newState, late } = plan(z, storedBy, calcs, state);
  for (const meterId of late) {
    const calc = calcs.get(meterId) as MeterCalc;
    const end = await recompute(tx, tenantId, z, calc, (storedBy.get(meterId) as ReadingRow[])[0].ts);
    if (end) newState.set(meterId, end);
  }
  await writeBuckets(tx, tenantId, buckets, false, newState);
}

/**
 * One tenant's share of a batch, inside its tenant transaction: dedupe within the batch, lock the
 * meters' series, validate with the meter-type plugin, store, and keep the daily and monthly
 * consumption rollups.
 */
export async function ingestTenant(
  tx: Tx,
  deps: { kinds: MeterKinds; zone: Zone },
  tenantId: string,
  items: Item[],
  outcomes: IngestOutcome[],
): Promise<void> {
  const byMeter = dedupe(items, tenantId, outcomes);
  if (byMeter.size === 0) return;
  // one round trip: both statements are sent before either answer is awaited (pipelined)
  const [settings, state] = await Promise.all([
    tenantPluginSettings(tx),
    lockState(tx, tenantId, [...byMeter.keys()]),
  ]);
  const { typeOf, calcOf, calcs } = meterCalcs(deps.kinds, settings);
  const rows: ReadingRow[] = [];
  for (const [meterId, list] of byMeter) {
    list.sort((a, b) => a.ts - b.ts || a.kind - b.kind);
    const t = typeOf(list[0].meter.kind);
    if (!t) {
      for (const it of list)
        outcomes[it.n] = {
          status: 'rejected',
          tenantId,
          meterId,
          reasons: [
            { code: 'METER_KIND_UNKNOWN', message: `No meter-type plugin '${it.meter.kind}' is installed` },
          ],
        };
      continue;
    }
    const b = {
      tx,
      tenantId,
      meterId,
      t,
      calc: calcOf(list[0].meter, t),
      latest: state.get(meterId) ?? null,
      outcomes,
    };
    rows.push(...(await validateMeter(b, list)));
  }
  // the in-order meters' rollups ride on the store statement, computed as if every reading is
  // stored, and apply to the meters none of whose readings turned out a duplicate
  const pre = plan(deps.zone, pointsBy(rows), calcs, state);
  const counts = new Map<string, number>();
  for (const r of rows)
    if (pre.newState.has(r.meterId)) counts.set(r.meterId, (counts.get(r.meterId) ?? 0) + 1);
  const { stored, rolled } = await storeRows(tx, tenantId, rows, {
    counts,
    ctes: rollupCtes(tenantId, pre.buckets, false, pre.newState, 'ok'),
  });
  for (const r of rows)
    outcomes[r.n] = stored.has(r.n)
      ? { status: 'stored', tenantId, meterId: r.meterId, flags: r.flags }
      : { status: 'duplicate', tenantId, meterId: r.meterId };
  const rest = pointsBy(rows.filter((r) => stored.has(r.n) && !rolled.has(r.meterId)));
  if (rest.size > 0) await rollStored(tx, deps.zone, tenantId, rest, calcs, state);
}

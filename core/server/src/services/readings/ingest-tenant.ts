import type { IngestOutcome, MeterReading, MeterTypePlugin, RawReading, RegisterDef } from '@quadmeter/sdk';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { usageSettings } from '../archives/consumption.ts';
import type { MeterKinds } from '../archives/meter-kinds.ts';
import { tenantPluginSettings } from '../plugins/tenant-plugins.ts';
import type { ResolvedMeter } from './device-registry.ts';
import { pgArray } from './pg-array.ts';
import { splitValues } from './prepare.ts';
import { Buckets, type MeterCalc, type Point, pointBefore, recompute, writeBuckets } from './rollups.ts';
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

interface TypeInfo {
  plugin: MeterTypePlugin;
  main: RegisterDef;
  registers: Map<string, RegisterDef>;
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

async function saveState(tx: Tx, tenantId: string, last: Map<string, Point>) {
  if (last.size === 0) return;
  const e = [...last.entries()];
  await tx.execute(sql`
    update reading_state s set ts = u.ts, kind = u.kind, value = u.value
    from unnest(${pgArray(e.map(([m]) => m))}::uuid[], ${pgArray(e.map(([, p]) => iso(p.ts)))}::timestamptz[],
      ${pgArray(e.map(([, p]) => p.kind))}::smallint[], ${pgArray(e.map(([, p]) => p.value))}::numeric[])
      as u(meter_id, ts, kind, value)
    where s.tenant_id = ${tenantId} and s.meter_id = u.meter_id`);
}

function issueFlag(i: { code: string; register?: string }) {
  return i.register ? `${i.code}:${i.register}` : i.code;
}

/**
 * One tenant's share of a batch, inside its tenant transaction: dedupe within the batch, validate
 * each reading against the meter's previous one with the meter-type plugin (errors reject,
 * warnings are stored as flags), store, and add the consumption of the stored readings to the
 * daily and monthly rollups — incrementally for readings after the meter's latest, by
 * recomputation from the day of the earliest for readings that arrived out of order.
 */
export async function ingestTenant(
  tx: Tx,
  deps: { kinds: MeterKinds; zone: Zone },
  tenantId: string,
  items: Item[],
  outcomes: IngestOutcome[],
): Promise<void> {
  const reject = (it: Item, code: string, message: string, register?: string) => {
    outcomes[it.n] = {
      status: 'rejected',
      tenantId,
      meterId: it.meter.meterId,
      reasons: [{ code, message, ...(register && { register }) }],
    };
  };
  const tenantSettings = await tenantPluginSettings(tx);
  const types = new Map<string, TypeInfo | null>();
  const typeOf = (kind: string): TypeInfo | null => {
    if (!types.has(kind)) {
      try {
        const plugin = deps.kinds.plugin(kind);
        const registers = new Map(plugin.registers.map((r) => [r.key, r]));
        types.set(kind, { plugin, main: deps.kinds.mainRegister(kind), registers });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        types.set(kind, null);
      }
    }
    return types.get(kind) ?? null;
  };
  const calcs = new Map<string, MeterCalc>();
  const settingsCache = new Map<string, unknown>();
  const calcOf = (m: ResolvedMeter, t: TypeInfo): MeterCalc => {
    let c = calcs.get(m.meterId);
    if (!c) {
      const sk = `${m.kind}|${m.digits}`;
      if (!settingsCache.has(sk))
        settingsCache.set(sk, usageSettings(t.plugin, m.digits, tenantSettings.get(m.kind)?.settings));
      c = {
        meterId: m.meterId,
        plugin: t.plugin,
        reg: t.main,
        digits: m.digits,
        settings: settingsCache.get(sk),
        initialReading: m.initialReading,
      };
      calcs.set(m.meterId, c);
    }
    return c;
  };

  // duplicates within the batch: the same idempotency key, or the same (meter, kind, ts)
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
  if (byMeter.size === 0) return;
  const state = await lockState(tx, tenantId, [...byMeter.keys()]);

  const rows: ReadingRow[] = [];
  const flagsOf = new Map<number, string[]>();
  for (const [meterId, list] of byMeter) {
    list.sort((a, b) => a.ts - b.ts || a.kind - b.kind);
    const t = typeOf(list[0].meter.kind);
    if (!t) {
      for (const it of list)
        reject(it, 'METER_KIND_UNKNOWN', `No meter-type plugin '${it.meter.kind}' is installed`);
      continue;
    }
    const calc = calcOf(list[0].meter, t);
    const latest = state.get(meterId) ?? null;
    let last: Point | null = null;
    for (const it of list) {
      const v = splitValues(it.raw, t.registers, t.main.key);
      if (v.reasons.length > 0) {
        outcomes[it.n] = { status: 'rejected', tenantId, meterId, reasons: v.reasons };
        continue;
      }
      let prev: Point | null = latest && latest.ts < it.ts ? latest : null;
      if (latest && latest.ts >= it.ts) prev = await pointBefore(tx, tenantId, meterId, it.ts, true);
      if (last && (!prev || last.ts > prev.ts)) prev = last;
      const next: MeterReading = {
        ts: iso(it.ts),
        registers: v.forPlugin,
        ...(it.raw.status && { status: it.raw.status.word, statusProtocol: it.raw.status.protocol }),
      };
      const issues = t.plugin.validate(
        prev && { ts: iso(prev.ts), registers: { [t.main.key]: Number(prev.value) } },
        next,
        { settings: calc.settings },
      );
      const errors = issues.filter((i) => i.severity === 'error');
      if (errors.length > 0) {
        outcomes[it.n] = {
          status: 'rejected',
          tenantId,
          meterId,
          reasons: errors.map((i) => ({
            code: i.code,
            message: i.message,
            ...(i.register && { register: i.register }),
          })),
        };
        continue;
      }
      const flags = [...v.flags, ...issues.map(issueFlag)];
      flagsOf.set(it.n, flags);
      rows.push({
        n: it.n,
        meterId,
        kind: it.kind,
        ts: it.ts,
        value: v.main,
        registers: v.others,
        flags,
        status: it.raw.status?.word ?? null,
        statusProtocol: it.raw.status?.protocol ?? null,
        receivedAt: it.receivedAt,
        idemKey: it.raw.idempotencyKey,
      });
      if (v.main !== null) last = { ts: it.ts, kind: it.kind, value: v.main };
    }
  }

  const stored = await storeRows(tx, tenantId, rows);
  const buckets = new Buckets(deps.zone);
  const newState = new Map<string, Point>();
  const storedBy = new Map<string, ReadingRow[]>();
  for (const r of rows) {
    outcomes[r.n] = stored.has(r.n)
      ? { status: 'stored', tenantId, meterId: r.meterId, flags: flagsOf.get(r.n) ?? [] }
      : { status: 'duplicate', tenantId, meterId: r.meterId };
    if (stored.has(r.n) && r.value !== null) {
      const list = storedBy.get(r.meterId) ?? storedBy.set(r.meterId, []).get(r.meterId);
      list?.push(r);
    }
  }
  for (const [meterId, list] of storedBy) {
    const calc = calcs.get(meterId);
    if (!calc) continue;
    const latest = state.get(meterId) ?? null;
    if (latest && list[0].ts <= latest.ts) {
      // out of order: rewrite the rollups from the day of the earliest new reading
      const end = await recompute(tx, tenantId, deps.zone, calc, list[0].ts);
      if (end) newState.set(meterId, end);
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
  await writeBuckets(tx, tenantId, buckets);
  await saveState(tx, tenantId, newState);
}

import type { StatusFlags } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import type { MeterKinds } from '../../archives/meter-kinds.ts';
import type { Estate } from './estate.ts';
import type { MeterFacts, VeeReading } from './types.ts';

/** How far back a diagnosis reads: the longest rule window (baseline days) with room. */
export const WINDOW_DAYS = 21;
const DECIMAL = /^-?\d+(\.\d+)?$/;

interface MeterRow {
  id: string;
  kind: string;
  areaId: string;
  digits: number;
  occupied: boolean;
  concentratorId: string | null;
  replacedAt: string[] | null;
  command: { action: string; at: string } | null;
}

interface ReadingRow {
  meterId: string;
  ts: string;
  value: string | null;
  registers: Record<string, string> | null;
  status: string | null;
  protocol: string | null;
}

/**
 * The tenant's installed meters (or those named, and the masters above them with their
 * sub-meters) with their readings of the last WINDOW_DAYS days before `now`, as the rules see them:
 * numbers for decimal registers, the status word decoded by the meter's plugin. Estimated readings
 * are left out (a rule judges what the meter said).
 */
export async function loadEstate(
  tx: Tx,
  kinds: MeterKinds,
  now: Date,
  meterIds: readonly string[] | null = null,
): Promise<Estate & { areaOf: Map<string, string> }> {
  const links = (await tx.execute(sql`
    select r.parent_id::text as parent, r.child_id::text as child from meter_relations r
    where ${meterIds ? sql`r.parent_id in (select parent_id from meter_relations where child_id = any(${uuidArray(meterIds)}) or parent_id = any(${uuidArray(meterIds)}))` : sql`true`}`)) as unknown as {
    parent: string;
    child: string;
  }[];
  const subsOf = new Map<string, string[]>();
  for (const l of links) (subsOf.get(l.parent) ?? subsOf.set(l.parent, []).get(l.parent))?.push(l.child);
  const wanted = meterIds ? [...new Set([...meterIds, ...links.flatMap((l) => [l.parent, l.child])])] : null;
  const rows = (await tx.execute(sql`
    select m.id::text as id, m.kind, m.area_id::text as "areaId", m.digits,
      coalesce(a.status = 'active', false) as occupied,
      (select r.line from meter_routes r where r.meter_id = m.id and r.via = 'concentrator' limit 1) as "concentratorId",
      (select array_agg(to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
         from meter_events e where e.meter_id = m.id and e.kind = 'replace') as "replacedAt",
      (select json_build_object('action', c.action, 'at', coalesce(c.finished_at, c.created_at))
         from meter_commands c where c.meter_id = m.id and c.status = 'confirmed'
           and c.action in ('valve-open', 'valve-close', 'relay-trip', 'relay-close')
         order by coalesce(c.finished_at, c.created_at) desc limit 1) as command
    from meters m left join accounts a on a.id = m.account_id
    where m.status = 'installed' ${wanted ? sql`and m.id = any(${uuidArray(wanted)})` : sql``}
    order by m.id`)) as unknown as MeterRow[];
  const meters: MeterFacts[] = [];
  const areaOf = new Map<string, string>();
  const plugins = new Map<string, ReturnType<MeterKinds['plugin']>>();
  for (const r of rows) {
    if (!kinds.ids.has(r.kind)) continue;
    const plugin = kinds.plugin(r.kind);
    plugins.set(r.id, plugin);
    areaOf.set(r.id, r.areaId);
    meters.push({
      id: r.id,
      medium: plugin.medium,
      areaId: r.areaId,
      occupied: r.occupied,
      concentratorId: r.concentratorId,
      rolloverMax: 10 ** r.digits,
      replacedAt: (r.replacedAt ?? []).map((t) => new Date(t)),
      commanded: r.command
        ? {
            state: ['valve-open', 'relay-close'].includes(r.command.action) ? 'open' : 'closed',
            at: new Date(r.command.at),
          }
        : null,
      exports: false,
    });
  }
  const ids = meters.map((m) => m.id);
  const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
  const readingRows = ids.length
    ? ((await tx.execute(sql`
        select meter_id::text as "meterId", to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ts,
          value::text as value, registers, status::text as status, status_protocol as protocol
        from readings where meter_id = any(${uuidArray(ids)}) and kind in (1, 2, 4)
          and ts > ${since.toISOString()}::timestamptz and ts <= ${now.toISOString()}::timestamptz
        order by meter_id, ts, kind`)) as unknown as ReadingRow[])
    : [];
  const readings = new Map<string, VeeReading[]>();
  for (const r of readingRows) {
    const plugin = plugins.get(r.meterId);
    const list = readings.get(r.meterId) ?? readings.set(r.meterId, []).get(r.meterId);
    const registers: Record<string, number | string> = {};
    for (const [k, v] of Object.entries(r.registers ?? {})) registers[k] = DECIMAL.test(v) ? Number(v) : v;
    const status: StatusFlags =
      r.status !== null && plugin ? plugin.decodeStatus(Number(r.status), r.protocol ?? undefined) : {};
    const prev = list?.at(-1);
    // a daily frozen value at the same instant as a real-time one: keep one
    if (prev && prev.ts.getTime() === Date.parse(r.ts)) continue;
    list?.push({ ts: new Date(r.ts), value: r.value === null ? null : Number(r.value), registers, status });
  }
  return { now, meters, readings, subsOf, areaOf };
}

import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { decodeCursor, encodeCursor } from '../archives/list-kit.ts';
import type { Actor } from '../identity/actor.ts';
import type { Outcome } from './kinds.ts';
import { READING_KIND_NAMES } from './reading-key.ts';

export interface TaskRow {
  id: string;
  target: 'meter' | 'meters' | 'group' | 'area';
  targetId: string | null;
  kind: 'realtime' | 'daily' | 'monthly';
  frozenFor: string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  rounds: number;
  round: number;
  fallback: boolean;
  scheduleId: string | null;
  slot: string | null;
  createdBy: string | null;
  createdByName: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

const COLUMNS = sql.raw(`t.id::text as id, t.target, t.target_id::text as "targetId", t.kind,
  t.frozen_for as "frozenFor", t.status, t.rounds, t.round, t.fallback, t.schedule_id::text as "scheduleId",
  to_char(t.slot at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as slot, t.created_by::text as "createdBy",
  t.created_by_name as "createdByName",
  to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt",
  to_char(t.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "startedAt",
  to_char(t.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "finishedAt", t.error`);

/** Member rows the actor may see: those in the actor's areas. */
function memberScope(actor: Actor | null): SQL {
  return actor?.areaScope
    ? sql`exists (select 1 from areas a where a.id = tm.area_id and a.path && ${uuidArray(actor.areaScope)})`
    : sql`true`;
}

/** A task is visible to an actor who sees at least one of its meters. */
function taskVisible(actor: Actor | null): SQL {
  if (!actor?.areaScope) return sql`true`;
  return sql`exists (select 1 from reading_task_meters tm where tm.task_id = t.id and ${memberScope(actor)})`;
}

export async function findTask(tx: Tx, actor: Actor | null, id: string): Promise<TaskRow> {
  const [row] = (await tx.execute(
    sql`select ${COLUMNS} from reading_tasks t where t.id = ${id} and ${taskVisible(actor)}`,
  )) as unknown as TaskRow[];
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such reading task', { id });
  return row;
}

export interface Counts {
  total: number;
  pending: number;
  success: number;
  failed: number;
}

export interface GroupSummary extends Counts {
  key: string;
  name: string;
  /** success / (success + failed), 0..1; null while nothing finished */
  rate: number | null;
}

const COUNTS = sql.raw(`count(*)::int as total, count(*) filter (where tm.outcome is null)::int as pending,
  count(*) filter (where tm.outcome in ('ok', 'pushed', 'fallback_daily'))::int as success,
  count(*) filter (where tm.outcome is not null and tm.outcome not in ('ok', 'pushed', 'fallback_daily'))::int as failed`);

const rate = (c: Counts) => (c.success + c.failed === 0 ? null : c.success / (c.success + c.failed));

/** Success counts of a task, overall and per line, concentrator and area (within the actor's areas). */
export async function taskSummary(tx: Tx, actor: Actor | null, id: string) {
  const where = sql`tm.task_id = ${id} and ${memberScope(actor)}`;
  const [all] = (await tx.execute(
    sql`select ${COUNTS} from reading_task_meters tm where ${where}`,
  )) as unknown as Counts[];
  const group = async (key: SQL, name: SQL, join: SQL, filter: SQL) => {
    const rows = (await tx.execute(sql`
      select ${key} as key, ${name} as name, ${COUNTS} from reading_task_meters tm ${join}
      where ${where} and ${filter} group by 1, 2 order by 2, 1`)) as unknown as Omit<GroupSummary, 'rate'>[];
    return rows.map((r) => ({ ...r, rate: rate(r) }));
  };
  const lineKey = sql`coalesce(tm.via || ':' || tm.line, 'none')`;
  return {
    ...all,
    rate: rate(all),
    lines: await group(lineKey, lineKey, sql``, sql`true`),
    concentrators: await group(
      sql`tm.concentrator_id::text`,
      sql`c.number`,
      sql`join concentrators c on c.id = tm.concentrator_id`,
      sql`tm.concentrator_id is not null`,
    ),
    areas: await group(sql`tm.area_id::text`, sql`a.name`, sql`join areas a on a.id = tm.area_id`, sql`true`),
  };
}

export interface MeterResult {
  meterId: string;
  assetNo: string;
  areaId: string;
  via: string | null;
  line: string | null;
  concentratorId: string | null;
  transport: string | null;
  outcome: Outcome | null;
  detail: string | null;
  attempts: number;
  reading: { kind: string; ts: string; value: string | null } | null;
}

/** Per-meter results within the actor's areas, in asset-number order, keyset-paged. */
export async function taskResults(
  tx: Tx,
  actor: Actor | null,
  id: string,
  q: { limit: number; after?: string; outcome?: string },
) {
  const after = q.after ? decodeCursor(q.after, 'assetNo') : null;
  const rows = (await tx.execute(sql`
    select tm.meter_id::text as "meterId", m.asset_no as "assetNo", tm.area_id::text as "areaId", tm.via,
      tm.line, tm.concentrator_id::text as "concentratorId", tm.transport, tm.outcome, tm.detail, tm.attempts,
      tm.reading_kind as "readingKind",
      to_char(tm.reading_ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "readingTs",
      r.value::text as value
    from reading_task_meters tm join meters m on m.id = tm.meter_id
    left join readings r on r.meter_id = tm.meter_id and r.kind = tm.reading_kind and r.ts = tm.reading_ts
    where tm.task_id = ${id} and ${memberScope(actor)}
      ${q.outcome === 'pending' ? sql`and tm.outcome is null` : q.outcome ? sql`and tm.outcome = ${q.outcome}` : sql``}
      ${after ? sql`and (m.asset_no, m.id) > (${String(after.key)}, ${after.id}::uuid)` : sql``}
    order by m.asset_no, m.id limit ${q.limit + 1}`)) as unknown as (Omit<MeterResult, 'reading'> & {
    readingKind: number | null;
    readingTs: string | null;
    value: string | null;
  })[];
  const more = rows.length > q.limit;
  const items: MeterResult[] = rows.slice(0, q.limit).map(({ readingKind, readingTs, value, ...r }) => ({
    ...r,
    reading:
      readingKind !== null && readingTs !== null
        ? { kind: READING_KIND_NAMES[readingKind] ?? String(readingKind), ts: readingTs, value }
        : null,
  }));
  const last = items.at(-1);
  return { items, next: more && last ? encodeCursor('assetNo', last.assetNo, last.meterId) : null };
}

/** The task history, newest first, keyset-paged; only tasks reaching the actor's areas. */
export async function listTasks(
  tx: Tx,
  actor: Actor,
  q: { limit: number; after?: string; status?: string; scheduleId?: string },
) {
  const after = q.after ? decodeCursor(q.after, 'createdAt') : null;
  const rows = (await tx.execute(sql`
    select ${COLUMNS} from reading_tasks t
    where ${taskVisible(actor)}
      ${q.status ? sql`and t.status = ${q.status}` : sql``}
      ${q.scheduleId ? sql`and t.schedule_id = ${q.scheduleId}::uuid` : sql``}
      ${after ? sql`and (t.created_at, t.id) < (${String(after.key)}::timestamptz, ${after.id}::uuid)` : sql``}
    order by t.created_at desc, t.id desc limit ${q.limit + 1}`)) as unknown as TaskRow[];
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items, next: more && last ? encodeCursor('createdAt', last.createdAt, last.id) : null };
}

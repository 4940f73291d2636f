import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import { decodeCursor, encodeCursor } from '../../archives/list-kit.ts';
import type { Actor } from '../../identity/actor.ts';

export type FindingStatus = 'open' | 'assigned' | 'resolved' | 'dismissed';

export interface FindingRow {
  id: string;
  meterId: string;
  assetNo: string;
  meterKind: string;
  areaId: string;
  rule: string;
  severity: 'info' | 'warning' | 'critical';
  status: FindingStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  occurrences: number;
  evidence: Record<string, unknown>;
  assignedTo: string | null;
  assignedToName: string | null;
  resolvedAt: string | null;
  note: string;
}

const ts = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const COLUMNS = sql`f.id::text as id, f.meter_id::text as "meterId", m.asset_no as "assetNo", m.kind as "meterKind",
  f.area_id::text as "areaId", f.rule, f.severity, f.status, ${ts(sql`f.first_seen_at`)} as "firstSeenAt",
  ${ts(sql`f.last_seen_at`)} as "lastSeenAt", f.occurrences, f.evidence, f.assigned_to::text as "assignedTo",
  u.display_name as "assignedToName", ${ts(sql`f.resolved_at`)} as "resolvedAt", f.note`;
const FROM = sql`from anomaly_findings f join meters m on m.id = f.meter_id left join users u on u.id = f.assigned_to`;

/** Findings the actor may see: those of meters in the actor's areas (by the finding's area). */
function visible(actor: Actor): SQL {
  return actor.areaScope
    ? sql`exists (select 1 from areas a where a.id = f.area_id and a.path && ${uuidArray(actor.areaScope)})`
    : sql`true`;
}

export interface FindingQuery {
  limit: number;
  after?: string;
  status?: FindingStatus | 'active';
  severity?: FindingRow['severity'];
  rule?: string;
  meterId?: string;
  areaId?: string;
  assignedTo?: string;
}

/** The exception queue, latest first, keyset-paged; `active` = open or assigned. */
export async function listFindings(tx: Tx, actor: Actor, q: FindingQuery) {
  const after = q.after ? decodeCursor(q.after, 'lastSeenAt') : null;
  const status =
    q.status === 'active'
      ? sql`and f.status in ('open', 'assigned')`
      : q.status
        ? sql`and f.status = ${q.status}`
        : sql``;
  const rows = (await tx.execute(sql`
    select ${COLUMNS} ${FROM}
    where ${visible(actor)} ${status}
      ${q.severity ? sql`and f.severity = ${q.severity}` : sql``}
      ${q.rule ? sql`and f.rule = ${q.rule}` : sql``}
      ${q.meterId ? sql`and f.meter_id = ${q.meterId}::uuid` : sql``}
      ${q.assignedTo ? sql`and f.assigned_to = ${q.assignedTo}::uuid` : sql``}
      ${q.areaId ? sql`and exists (select 1 from areas a2 where a2.id = f.area_id and ${q.areaId}::uuid = any(a2.path))` : sql``}
      ${after ? sql`and (f.last_seen_at, f.id) < (${String(after.key)}::timestamptz, ${after.id}::uuid)` : sql``}
    order by f.last_seen_at desc, f.id desc limit ${q.limit + 1}`)) as unknown as FindingRow[];
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items, next: more && last ? encodeCursor('lastSeenAt', last.lastSeenAt, last.id) : null };
}

export async function findFinding(tx: Tx, actor: Actor, id: string): Promise<FindingRow> {
  const [row] = (await tx.execute(sql`
    select ${COLUMNS} ${FROM} where f.id = ${id} and ${visible(actor)}`)) as unknown as FindingRow[];
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such finding', { id });
  return row;
}

export interface EvidenceReading {
  ts: string;
  kind: number;
  value: string | null;
  registers: Record<string, string> | null;
  status: string | null;
  flags: string[] | null;
}

/**
 * A finding with what it rests on: the meter's readings around the evidence (a day either side of
 * the readings named, at most 500), and its history.
 */
export async function findingDetail(tx: Tx, actor: Actor, id: string) {
  const finding = await findFinding(tx, actor, id);
  const named = ((finding.evidence.readings as string[] | undefined) ?? []).filter(
    (s) => !Number.isNaN(Date.parse(s)),
  );
  const times = named.map((s) => Date.parse(s));
  const to = times.length ? Math.max(...times) : Date.parse(finding.lastSeenAt);
  const from = times.length ? Math.min(...times) : to - 7 * 86_400_000;
  const readings = (await tx.execute(sql`
    select ${ts(sql`ts`)} as ts, kind, value::text as value, registers, status::text as status, flags
    from readings where meter_id = ${finding.meterId}
      and ts between ${new Date(from - 86_400_000).toISOString()}::timestamptz and ${new Date(to + 86_400_000).toISOString()}::timestamptz
    order by ts limit 500`)) as unknown as EvidenceReading[];
  const history = (await tx.execute(sql`
    select ${ts(sql`at`)} as at, action, actor_name as "actorName", note from anomaly_finding_events
    where finding_id = ${id} order by at, id`)) as unknown as {
    at: string;
    action: string;
    actorName: string;
    note: string;
  }[];
  return { ...finding, readings, history };
}

async function event(tx: Tx, actor: Actor, id: string, action: string, note: string) {
  await tx.execute(sql`insert into anomaly_finding_events (tenant_id, finding_id, action, actor_id, actor_name, note)
    values (app_tenant_id(), ${id}, ${action}, ${actor.kind === 'operator' ? null : actor.id}, ${actor.displayName || actor.name}, ${note})`);
}

const notActive = (f: FindingRow) =>
  new AppError('ANOMALY_CLOSED', 'The finding is resolved or dismissed', { id: f.id, status: f.status });

/**
 * Assigns an open finding to a user: an active user of the tenant who may read anomalies and whose
 * areas include the finding's (ANOMALY_ASSIGNEE_INVALID otherwise).
 */
export async function assignFinding(tx: Tx, actor: Actor, id: string, userId: string, note: string) {
  const f = await findFinding(tx, actor, id);
  if (f.status === 'resolved' || f.status === 'dismissed') throw notActive(f);
  const [ok] = (await tx.execute(sql`
    select 1 as ok from users u where u.id = ${userId} and u.status = 'active'
      and exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
                  where ur.user_id = u.id and 'analysis.read' = any(r.permissions))
      and (not exists (select 1 from user_areas ua where ua.user_id = u.id)
           or exists (select 1 from user_areas ua join areas a on a.id = ${f.areaId}::uuid
                      where ua.user_id = u.id and ua.area_id = any(a.path)))`)) as unknown as unknown[];
  if (!ok) throw new AppError('ANOMALY_ASSIGNEE_INVALID', 'The user cannot take this finding', { userId });
  await tx.execute(
    sql`update anomaly_findings set status = 'assigned', assigned_to = ${userId} where id = ${id}`,
  );
  await event(tx, actor, id, 'assigned', note);
  return await findFinding(tx, actor, id);
}

/** Adds a note to a finding's history (the latest note also shows on the finding). */
export async function noteFinding(tx: Tx, actor: Actor, id: string, note: string) {
  await findFinding(tx, actor, id);
  await tx.execute(sql`update anomaly_findings set note = ${note} where id = ${id}`);
  await event(tx, actor, id, 'note', note);
  return await findFinding(tx, actor, id);
}

/** Closes an open or assigned finding as resolved (fixed) or dismissed (not a problem). */
export async function closeFinding(
  tx: Tx,
  actor: Actor,
  id: string,
  outcome: 'resolved' | 'dismissed',
  note: string,
) {
  const f = await findFinding(tx, actor, id);
  if (f.status === 'resolved' || f.status === 'dismissed') throw notActive(f);
  await tx.execute(sql`update anomaly_findings set status = ${outcome}, resolved_at = now(),
    note = case when ${note} = '' then note else ${note} end where id = ${id}`);
  await event(tx, actor, id, outcome, note);
  return await findFinding(tx, actor, id);
}

import { AppError } from '@quadmeter/sdk';
import { Cron } from 'croner';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Actor } from '../identity/actor.ts';
import { isoOf } from '../payments/scope-sql.ts';
import { datasetOf, parseParams } from './catalogue.ts';
import { requireArea } from './scope.ts';
import type { Lang } from './types.ts';

/** At most this many email recipients per schedule. */
export const MAX_RECIPIENTS = 20;

export interface ScheduleInput {
  report: string;
  params: Record<string, unknown>;
  format: 'xlsx' | 'pdf';
  lang: Lang;
  cron: string;
  recipients: string[];
  enabled: boolean;
}

export interface ScheduleDto extends Record<string, unknown> {
  id: string;
  report: string;
  params: Record<string, unknown>;
  format: 'xlsx' | 'pdf';
  lang: Lang;
  cron: string;
  recipients: string[];
  enabled: boolean;
  createdByName: string;
  nextRunAt: string;
  lastRunAt: string | null;
  lastOutputId: string | null;
  lastSkip: string | null;
}

const COLUMNS = sql`id, report, params, format, lang, cron, recipients, enabled,
  created_by_name as "createdByName", ${isoOf('next_run_at')} as "nextRunAt",
  case when last_run_at is null then null else ${isoOf('last_run_at')} end as "lastRunAt",
  last_output_id as "lastOutputId", last_skip as "lastSkip"`;

/** The next time `cron` fires after `from` in `timeZone`; REPORT_SCHEDULE_CRON for a bad or never-firing one. */
export function nextRun(cron: string, timeZone: string, from = new Date()): Date {
  let next: Date | null = null;
  try {
    next = new Cron(cron, { timezone: timeZone, paused: true }).nextRun(from);
  } catch {
    next = null;
  }
  if (!next) throw new AppError('REPORT_SCHEDULE_CRON', undefined, { cron });
  return next;
}

/** Report known, params valid for its dataset, area in scope, cron valid: the stored values. */
async function checked(tx: Tx, actor: Actor, v: ScheduleInput, timeZone: string) {
  const ds = datasetOf(v.report);
  const params = parseParams(ds, v.params);
  if (typeof params.areaId === 'string') await requireArea({ tx, actor, timeZone }, params.areaId);
  const next = nextRun(v.cron, timeZone);
  return { params, next };
}

/** Schedules the actor may see: those whose frozen scope lies inside the actor's (all for a whole-tenant actor). */
const visible = (actor: Actor) =>
  actor.areaScope === null
    ? sql`true`
    : sql`area_scope is not null and area_scope <@ ${uuidArray(actor.areaScope)}`;

export async function listSchedules(tx: Tx, actor: Actor): Promise<ScheduleDto[]> {
  return [
    ...(await tx.execute<ScheduleDto>(
      sql`select ${COLUMNS} from report_schedules where ${visible(actor)} order by created_at desc limit 200`,
    )),
  ];
}

export async function scheduleOf(tx: Tx, actor: Actor, id: string): Promise<ScheduleDto> {
  const [row] = await tx.execute<ScheduleDto>(
    sql`select ${COLUMNS} from report_schedules where id = ${id} and ${visible(actor)}`,
  );
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', undefined, { id });
  return row;
}

/** A new schedule owned by the actor, with the actor's area scope frozen (runs see what they saw). */
export async function createSchedule(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  v: ScheduleInput,
  timeZone: string,
): Promise<ScheduleDto> {
  const { params, next } = await checked(tx, actor, v, timeZone);
  const scope = actor.areaScope ? uuidArray(actor.areaScope) : sql`null::uuid[]`;
  const [row] = await tx.execute<ScheduleDto>(sql`insert into report_schedules (tenant_id, report, params,
      format, lang, cron, recipients, area_scope, created_by, created_by_name, enabled, next_run_at)
    values (${tenantId}, ${v.report}, ${JSON.stringify(params)}::jsonb, ${v.format}, ${v.lang}, ${v.cron},
      ${sql`array[${sql.join(
        v.recipients.map((r) => sql`${r}`),
        sql`, `,
      )}]::text[]`}, ${scope}, ${actor.id}, ${actor.displayName || actor.name}, ${v.enabled},
      ${next.toISOString()})
    returning ${COLUMNS}`);
  return row!;
}

/**
 * Replaces a visible schedule's definition. The editor becomes its owner: their scope is frozen
 * anew, so nobody widens a schedule beyond what they themselves may see.
 */
export async function updateSchedule(
  tx: Tx,
  actor: Actor,
  id: string,
  v: ScheduleInput,
  timeZone: string,
): Promise<ScheduleDto> {
  await scheduleOf(tx, actor, id);
  const { params, next } = await checked(tx, actor, v, timeZone);
  const scope = actor.areaScope ? uuidArray(actor.areaScope) : sql`null::uuid[]`;
  const [row] = await tx.execute<ScheduleDto>(sql`update report_schedules set report = ${v.report},
      params = ${JSON.stringify(params)}::jsonb, format = ${v.format}, lang = ${v.lang}, cron = ${v.cron},
      recipients = ${sql`array[${sql.join(
        v.recipients.map((r) => sql`${r}`),
        sql`, `,
      )}]::text[]`}, area_scope = ${scope}, created_by = ${actor.id},
      created_by_name = ${actor.displayName || actor.name}, enabled = ${v.enabled},
      next_run_at = ${next.toISOString()}, last_skip = null
    where id = ${id} returning ${COLUMNS}`);
  return row!;
}

export async function deleteSchedule(tx: Tx, actor: Actor, id: string): Promise<void> {
  await scheduleOf(tx, actor, id);
  await tx.execute(sql`delete from report_schedules where id = ${id}`);
}

/** Makes a visible schedule due now: the next tick runs it. */
export async function runScheduleNow(tx: Tx, actor: Actor, id: string): Promise<ScheduleDto> {
  await scheduleOf(tx, actor, id);
  const [row] = await tx.execute<ScheduleDto>(
    sql`update report_schedules set next_run_at = now() where id = ${id} returning ${COLUMNS}`,
  );
  return row!;
}

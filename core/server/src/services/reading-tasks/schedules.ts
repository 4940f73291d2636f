import { AppError } from '@quadmeter/sdk';
import { CronExpressionParser } from 'cron-parser';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { codedCause } from '../../db/connection-errors.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { findGroup, type GroupFilter, requireReach } from '../archives/meter-groups.ts';
import { findMeter } from '../archives/meters.ts';
import { getArea } from '../areas/areas.ts';
import type { Actor } from '../identity/actor.ts';
import type { TaskKind } from './kinds.ts';

export const frequencies = ['hourly', 'daily', 'weekly', 'monthly', 'cron'] as const;
export type Frequency = (typeof frequencies)[number];

export interface ScheduleInput {
  name: string;
  target: 'meter' | 'group' | 'area';
  targetId: string;
  kind: TaskKind;
  frequency: Frequency;
  /** hourly … monthly: the minute (0–59), hour (0–23), weekday (0 Sunday – 6), day of month (1–28) */
  minute?: number;
  hour?: number;
  weekday?: number;
  monthDay?: number;
  /** frequency 'cron': five fields */
  cron?: string;
  rounds?: number;
  enabled?: boolean;
}

export interface ScheduleDto {
  id: string;
  name: string;
  target: 'meter' | 'group' | 'area';
  targetId: string;
  kind: TaskKind;
  frequency: Frequency;
  cron: string;
  rounds: number;
  enabled: boolean;
  lastSlot: string | null;
  createdAt: string;
  updatedAt: string;
}

const bad = (path: string, message: string) =>
  new AppError('REQ_VALIDATION', `${path}: ${message}`, [{ path, message }]);

/** The schedule's cron in five fields; a preset becomes its cron. Checked by parsing it. */
export function cronOf(
  i: Pick<ScheduleInput, 'frequency' | 'minute' | 'hour' | 'weekday' | 'monthDay' | 'cron'>,
) {
  const m = i.minute ?? 0;
  const h = i.hour ?? 0;
  let cron: string;
  switch (i.frequency) {
    case 'hourly':
      cron = `${m} * * * *`;
      break;
    case 'daily':
      cron = `${m} ${h} * * *`;
      break;
    case 'weekly':
      cron = `${m} ${h} * * ${i.weekday ?? 1}`;
      break;
    case 'monthly':
      cron = `${m} ${h} ${i.monthDay ?? 1} * *`;
      break;
    case 'cron':
      if (!i.cron) throw bad('cron', 'a cron schedule names its cron expression');
      cron = i.cron.trim().replace(/\s+/g, ' ');
      if (cron.split(' ').length !== 5) throw bad('cron', 'must have five fields');
      break;
  }
  try {
    CronExpressionParser.parse(cron, { strict: false });
  } catch (e) {
    throw bad('cron', e instanceof Error ? e.message.slice(0, 200) : 'not a cron expression');
  }
  return cron;
}

/** The latest slot of `cron` at or before `now`, in `tz`; null if it has none in the last year. */
export function latestSlot(cron: string, tz: string, now: number): number | null {
  try {
    const it = CronExpressionParser.parse(cron, { currentDate: new Date(now + 1000), tz });
    const at = it.prev().getTime();
    return now - at <= 366 * 86_400_000 ? Math.floor(at / 1000) * 1000 : null;
  } catch {
    return null;
  }
}

/** The actor may name the target; a group reaching beyond a scoped actor's areas is refused. */
async function checkTarget(tx: Tx, actor: Actor, t: ScheduleInput['target'], id: string) {
  if (t === 'meter') await findMeter(tx, actor, id);
  else if (t === 'area') await getArea(tx, actor, id);
  else {
    const g = await findGroup(tx, id);
    await requireReach(tx, actor, g.kind, g.id, g.kind === 'filter' ? (g.filter as GroupFilter) : undefined);
  }
}

/** Schedules whose target lies inside a scoped actor's areas. */
function visible(actor: Actor): SQL {
  if (!actor.areaScope) return sql`true`;
  const scope = uuidArray(actor.areaScope);
  return sql`case s.target
    when 'area' then exists (select 1 from areas a where a.id = s.target_id and a.path && ${scope})
    when 'meter' then exists (select 1 from meters m join areas a on a.id = m.area_id
      where m.id = s.target_id and a.path && ${scope})
    else exists (select 1 from meter_groups g where g.id = s.target_id and (
      (g.kind = 'static' and not exists (select 1 from meter_group_members gm join meters m on m.id = gm.meter_id
        join areas a on a.id = m.area_id where gm.group_id = g.id and not (a.path && ${scope})))
      or (g.kind = 'filter' and exists (select 1 from areas a
        where a.id::text = g.filter->>'areaId' and a.path && ${scope})))) end`;
}

const COLUMNS =
  sql.raw(`s.id::text as id, s.name, s.target, s.target_id::text as "targetId", s.kind, s.frequency,
  s.cron, s.rounds, s.enabled,
  to_char(s.last_slot at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lastSlot",
  to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "createdAt",
  to_char(s.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "updatedAt"`);

export async function listSchedules(tx: Tx, actor: Actor): Promise<ScheduleDto[]> {
  return (await tx.execute(
    sql`select ${COLUMNS} from reading_schedules s where ${visible(actor)} order by s.name limit 1000`,
  )) as unknown as ScheduleDto[];
}

export async function getSchedule(tx: Tx, actor: Actor, id: string): Promise<ScheduleDto> {
  const [row] = (await tx.execute(
    sql`select ${COLUMNS} from reading_schedules s where s.id = ${id} and ${visible(actor)}`,
  )) as unknown as ScheduleDto[];
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such reading schedule', { id });
  return row;
}

function nameTaken(err: unknown): unknown {
  const c = codedCause(err) as { code: string; constraint_name?: string } | undefined;
  return c?.code === '23505' && c.constraint_name === 'reading_schedules_name_uq'
    ? new AppError('RESOURCE_CONFLICT', 'Another schedule has this name')
    : err;
}

export async function createSchedule(tx: Tx, actor: Actor, tenantId: string, i: ScheduleInput) {
  const cron = cronOf(i);
  await checkTarget(tx, actor, i.target, i.targetId);
  let id: string;
  try {
    const [row] = (await tx.execute(sql`
      insert into reading_schedules (tenant_id, name, target, target_id, kind, frequency, cron, rounds, enabled, created_by)
      values (${tenantId}, ${i.name}, ${i.target}, ${i.targetId}, ${i.kind}, ${i.frequency}, ${cron}, ${i.rounds ?? 3},
        ${i.enabled ?? true}, ${actor.id}) returning id::text as id`)) as unknown as { id: string }[];
    id = row.id;
  } catch (err) {
    throw nameTaken(err);
  }
  return getSchedule(tx, actor, id);
}

export async function updateSchedule(tx: Tx, actor: Actor, id: string, patch: Partial<ScheduleInput>) {
  const before = await getSchedule(tx, actor, id);
  const next = { ...before, ...patch } as ScheduleInput;
  const timing = ['frequency', 'minute', 'hour', 'weekday', 'monthDay', 'cron'].some((k) => k in patch);
  if (timing && next.frequency === 'cron' && patch.cron === undefined) next.cron = before.cron;
  const cron = timing ? cronOf(next) : before.cron;
  if (patch.target !== undefined || patch.targetId !== undefined)
    await checkTarget(tx, actor, next.target, next.targetId);
  try {
    await tx.execute(sql`
      update reading_schedules set name = ${next.name}, target = ${next.target}, target_id = ${next.targetId},
        kind = ${next.kind}, frequency = ${next.frequency}, cron = ${cron}, rounds = ${next.rounds},
        enabled = ${next.enabled}, updated_at = now()
        ${timing ? sql`, last_slot = greatest(last_slot, now())` : sql``}
      where id = ${id}`);
  } catch (err) {
    throw nameTaken(err);
  }
  return { before, after: await getSchedule(tx, actor, id) };
}

export async function deleteSchedule(tx: Tx, actor: Actor, id: string) {
  const before = await getSchedule(tx, actor, id);
  await tx.execute(sql`delete from reading_schedules where id = ${id}`);
  return before;
}

import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { findGroup, type GroupFilter } from '../archives/meter-groups.ts';
import { getArea } from '../areas/areas.ts';
import type { Actor } from '../identity/actor.ts';

/** What a task reads: one meter (单表点抄), a batch of meters, a meter group, or an area's subtree. */
export type Target =
  | { target: 'meter'; meterId: string }
  | { target: 'meters'; meterIds: string[] }
  | { target: 'group'; groupId: string }
  | { target: 'area'; areaId: string };

/** The id stored with the task (the batch's ids are its member rows). */
export function targetId(t: Target): string | null {
  if (t.target === 'meter') return t.meterId;
  if (t.target === 'group') return t.groupId;
  if (t.target === 'area') return t.areaId;
  return null;
}

export function scope(actor: Actor | null): SQL {
  return actor?.areaScope ? sql`a.path && ${uuidArray(actor.areaScope)}` : sql`true`;
}

function filterCond(f: GroupFilter): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.areaId) parts.push(sql`a.path @> ${uuidArray([f.areaId])}`);
  if (f.kind) parts.push(sql`m.kind = ${f.kind}`);
  if (f.protocol) parts.push(sql`m.protocol = ${f.protocol}`);
  return sql.join(parts, sql` and `);
}

/**
 * The condition selecting the target's meters; it checks what the actor may name first: a meter
 * or batch outside the actor's areas is "not found", an area outside them AREA_OUT_OF_SCOPE.
 * Groups read only their meters within the actor's areas. `actor` null: a schedule's run (its
 * target was checked when the schedule was saved).
 */
export async function condition(tx: Tx, actor: Actor | null, t: Target): Promise<SQL> {
  switch (t.target) {
    case 'meter':
    case 'meters': {
      const ids = t.target === 'meter' ? [t.meterId] : [...new Set(t.meterIds)];
      const found = (await tx.execute(sql`
        select m.id::text as id, m.status from meters m join areas a on a.id = m.area_id
        where m.id = any(${uuidArray(ids)}) and ${scope(actor)}`)) as unknown as {
        id: string;
        status: string;
      }[];
      const seen = new Set(found.map((f) => f.id));
      const missing = ids.filter((id) => !seen.has(id));
      if (missing.length > 0) throw new AppError('RESOURCE_NOT_FOUND', 'No such meter', { ids: missing });
      if (t.target === 'meter' && found[0].status !== 'installed')
        throw new AppError('METER_STATE_INVALID', 'Only installed meters are read', { id: t.meterId });
      return sql`m.id = any(${uuidArray(ids)})`;
    }
    case 'group': {
      const g = await findGroup(tx, t.groupId);
      if (g.kind === 'filter') return filterCond(g.filter as GroupFilter);
      return sql`m.id in (select g.meter_id from meter_group_members g where g.group_id = ${t.groupId})`;
    }
    case 'area':
      if (actor) await getArea(tx, actor, t.areaId);
      else {
        const [a] = (await tx.execute(sql`select 1 from areas where id = ${t.areaId}`)) as unknown[];
        if (!a) throw new AppError('AREA_OUT_OF_SCOPE', undefined, { id: t.areaId });
      }
      return sql`a.path @> ${uuidArray([t.areaId])}`;
  }
}

/**
 * Writes the task's member rows: every installed meter of the target within the actor's areas,
 * with its route as it is now (line key or concentrator, for the per-line summaries). Answers
 * how many; READING_TASK_EMPTY when none.
 */
export async function addMembers(tx: Tx, actor: Actor | null, taskId: string, t: Target): Promise<number> {
  const cond = await condition(tx, actor, t);
  const res = await tx.execute(sql`
    insert into reading_task_meters (tenant_id, task_id, meter_id, area_id, via, line, concentrator_id)
    select m.tenant_id, ${taskId}::uuid, m.id, m.area_id, r.via, r.line, r.concentrator_id
    from meters m join areas a on a.id = m.area_id
    left join meter_routes r on r.meter_id = m.id
    where m.status = 'installed' and ${cond} and ${scope(actor)}`);
  if (res.count === 0)
    throw new AppError('READING_TASK_EMPTY', 'The target has no installed meter to read', {
      target: t.target,
    });
  return res.count;
}

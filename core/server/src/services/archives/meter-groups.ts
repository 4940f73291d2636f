import { AppError } from '@quadmeter/sdk';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { codedCause } from '../../db/connection-errors.ts';
import { areas, meterGroupMembers, meterGroups, meters } from '../../db/schema/index.ts';
import { getArea } from '../areas/areas.ts';
import { type Actor, inScope } from '../identity/actor.ts';
import { listMeters, type MeterFilter, type Page } from './meter-list.ts';
import { findMeter } from './meters.ts';

type GroupRow = typeof meterGroups.$inferSelect;
export type GroupFilter = Pick<MeterFilter, 'areaId' | 'kind' | 'protocol' | 'status'>;

export interface GroupInput {
  name: string;
  kind: 'static' | 'filter';
  memberIds?: string[];
  filter?: GroupFilter;
}

export function groupDto(g: GroupRow, memberIds: string[] | null) {
  return {
    id: g.id,
    name: g.name,
    kind: g.kind,
    filter: g.kind === 'filter' ? (g.filter as GroupFilter) : null,
    memberIds,
    createdAt: g.createdAt.toISOString(),
  };
}

function nameTaken(err: unknown): unknown {
  const c = codedCause(err) as { code: string; constraint_name?: string } | undefined;
  return c?.code === '23505' && c.constraint_name === 'meter_groups_name_uq'
    ? new AppError('RESOURCE_CONFLICT', 'Another group has this name')
    : err;
}

/** Member ids, and how many members lie outside the actor's scope. */
async function members(tx: Tx, actor: Actor, groupId: string) {
  const rows = await tx
    .select({ id: meterGroupMembers.meterId, path: areas.path })
    .from(meterGroupMembers)
    .innerJoin(meters, eq(meters.id, meterGroupMembers.meterId))
    .innerJoin(areas, eq(areas.id, meters.areaId))
    .where(eq(meterGroupMembers.groupId, groupId))
    .orderBy(asc(meterGroupMembers.meterId));
  const visible = rows.filter((r) => inScope(actor, r.path)).map((r) => r.id);
  return { visible, hidden: rows.length - visible.length };
}

/**
 * An area-scoped user changes only groups that reach nothing beyond their areas: static groups
 * whose members they all see, saved filters bounded by an area inside their scope.
 */
export async function requireReach(
  tx: Tx,
  actor: Actor,
  kind: 'static' | 'filter',
  groupId: string | null,
  filter?: GroupFilter,
) {
  if (!actor.areaScope) return;
  const beyond =
    kind === 'filter'
      ? !filter?.areaId ||
        !(await getArea(tx, actor, filter.areaId).then(
          () => true,
          () => false,
        ))
      : groupId !== null && (await members(tx, actor, groupId)).hidden > 0;
  if (beyond)
    throw new AppError('AUTH_FORBIDDEN', 'The group reaches meters outside your areas', { groupId });
}

/** Static members must be meters the actor can see. */
async function setMembers(tx: Tx, actor: Actor, tenantId: string, groupId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  for (const id of unique) {
    await findMeter(tx, actor, id).catch(() => {
      throw new AppError('REQ_VALIDATION', 'No such meter', [
        { path: 'memberIds', message: `${id} does not exist` },
      ]);
    });
  }
  await tx.delete(meterGroupMembers).where(eq(meterGroupMembers.groupId, groupId));
  if (unique.length)
    await tx.insert(meterGroupMembers).values(unique.map((meterId) => ({ tenantId, groupId, meterId })));
}

function checkShape(i: Partial<GroupInput>, kind: 'static' | 'filter') {
  if (kind === 'static' && i.filter !== undefined)
    throw new AppError('REQ_VALIDATION', 'A static group has members, not a filter', [
      { path: 'filter', message: 'not allowed' },
    ]);
  if (kind === 'filter' && i.memberIds !== undefined)
    throw new AppError('REQ_VALIDATION', 'A filter group has a filter, not members', [
      { path: 'memberIds', message: 'not allowed' },
    ]);
}

export async function findGroup(tx: Tx, id: string): Promise<GroupRow> {
  const [g] = await tx.select().from(meterGroups).where(eq(meterGroups.id, id));
  if (!g) throw new AppError('RESOURCE_NOT_FOUND', 'No such meter group', { id });
  return g;
}

export async function getGroup(tx: Tx, actor: Actor, id: string) {
  const g = await findGroup(tx, id);
  return groupDto(g, g.kind === 'static' ? (await members(tx, actor, id)).visible : null);
}

export async function listGroups(tx: Tx) {
  const rows = await tx.select().from(meterGroups).orderBy(asc(meterGroups.name)).limit(1000);
  return rows.map((g) => groupDto(g, null));
}

export async function createGroup(tx: Tx, actor: Actor, tenantId: string, i: GroupInput) {
  checkShape(i, i.kind);
  await requireReach(tx, actor, i.kind, null, i.filter);
  let g: GroupRow;
  try {
    [g] = await tx
      .insert(meterGroups)
      .values({ tenantId, name: i.name, kind: i.kind, filter: i.filter ?? {} })
      .returning();
  } catch (err) {
    throw nameTaken(err);
  }
  if (i.kind === 'static') await setMembers(tx, actor, tenantId, g.id, i.memberIds ?? []);
  return getGroup(tx, actor, g.id);
}

export async function updateGroup(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  id: string,
  patch: Omit<Partial<GroupInput>, 'kind'>,
) {
  const before = await getGroup(tx, actor, id);
  checkShape(patch, before.kind);
  await requireReach(tx, actor, before.kind, id, before.filter ?? undefined);
  if (patch.filter) await requireReach(tx, actor, 'filter', id, patch.filter);
  try {
    if (patch.name !== undefined || patch.filter !== undefined)
      await tx
        .update(meterGroups)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.filter !== undefined && { filter: patch.filter }),
        })
        .where(eq(meterGroups.id, id));
  } catch (err) {
    throw nameTaken(err);
  }
  if (patch.memberIds !== undefined) await setMembers(tx, actor, tenantId, id, patch.memberIds);
  return { before, after: await getGroup(tx, actor, id) };
}

export async function deleteGroup(tx: Tx, actor: Actor, id: string) {
  const before = await getGroup(tx, actor, id);
  await requireReach(tx, actor, before.kind, id, before.filter ?? undefined);
  await tx.delete(meterGroups).where(eq(meterGroups.id, id));
  return before;
}

/** The group's meters within the actor's scope: its members, or what its saved filter selects now. */
export async function groupMeters(tx: Tx, actor: Actor, id: string, page: Page) {
  const g = await findGroup(tx, id);
  if (g.kind === 'filter') return listMeters(tx, actor, g.filter as GroupFilter, page);
  const ids = tx
    .select({ id: meterGroupMembers.meterId })
    .from(meterGroupMembers)
    .where(eq(meterGroupMembers.groupId, id));
  return listMeters(tx, actor, {}, page, inArray(meters.id, ids));
}

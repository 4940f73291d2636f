import { randomUUID } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type areaKinds, areas, userAreas } from '../../db/schema/index.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { type Actor, inScope } from '../identity/actor.ts';

export type AreaKind = (typeof areaKinds)[number];
type AreaRow = typeof areas.$inferSelect;

export function areaDto(a: AreaRow) {
  return { id: a.id, parentId: a.parentId, name: a.name, kind: a.kind, sort: a.sort, path: a.path };
}

/** Areas inside the actor's scope, parents before children. */
export async function listAreas(tx: Tx, actor: Actor) {
  const rows = await tx
    .select()
    .from(areas)
    .where(actor.areaScope ? sql`${areas.path} && ${uuidArray(actor.areaScope)}` : undefined)
    .orderBy(sql`array_length(${areas.path}, 1)`, asc(areas.sort), asc(areas.name));
  return rows.map(areaDto);
}

/** One area, or AREA_OUT_OF_SCOPE for one that does not exist or lies outside the actor's scope. */
export async function getArea(tx: Tx, actor: Actor, id: string): Promise<AreaRow> {
  const [row] = await tx.select().from(areas).where(eq(areas.id, id));
  if (!row || !inScope(actor, row.path)) throw new AppError('AREA_OUT_OF_SCOPE', undefined, { id });
  return row;
}

async function parentPath(tx: Tx, actor: Actor, parentId: string | null): Promise<string[]> {
  if (parentId === null) {
    if (actor.areaScope)
      throw new AppError('AUTH_FORBIDDEN', 'Only users with whole-tenant scope can add top-level areas');
    return [];
  }
  return (await getArea(tx, actor, parentId)).path;
}

export interface AreaInput {
  parentId: string | null;
  name: string;
  kind: AreaKind;
  sort?: number;
}

/**
 * Serialises changes to the tree shape within one tenant (moves, and creates that read a parent's
 * path) until the transaction ends, so two moves cannot each miss the other and build a cycle,
 * and a child is never added under a path that a concurrent move is rewriting.
 */
async function lockTree(tx: Tx): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended('quadmeter.areas.tree:' || current_setting('app.tenant_id'), 0))`,
  );
}

export async function createArea(tx: Tx, actor: Actor, tenantId: string, input: AreaInput) {
  const id = randomUUID();
  if (input.parentId !== null) await lockTree(tx);
  const path = [...(await parentPath(tx, actor, input.parentId)), id];
  const [row] = await tx
    .insert(areas)
    .values({
      tenantId,
      id,
      parentId: input.parentId,
      name: input.name,
      kind: input.kind,
      sort: input.sort ?? 0,
      path,
    })
    .returning();
  return row;
}

export async function updateArea(tx: Tx, actor: Actor, id: string, patch: Partial<AreaInput>) {
  // take the lock before reading, so the paths checked below are the committed ones
  if (patch.parentId !== undefined) await lockTree(tx);
  const before = await getArea(tx, actor, id);
  if (patch.parentId !== undefined && patch.parentId !== before.parentId) {
    const newParent = await parentPath(tx, actor, patch.parentId);
    if (newParent.includes(id)) throw new AppError('AREA_CYCLE');
    if (actor.areaScope?.includes(id)) {
      throw new AppError('AUTH_FORBIDDEN', 'An area granted to you as a scope root cannot be moved by you');
    }
    // re-root the subtree: every path that passes through `id` keeps its tail from `id` on
    const depth = before.path.length;
    await tx
      .update(areas)
      .set({ path: sql`${uuidArray(newParent)} || ${areas.path}[${depth}:array_length(${areas.path}, 1)]` })
      .where(sql`${areas.path} @> ${uuidArray([id])}`);
  }
  const [after] = await tx
    .update(areas)
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.sort !== undefined && { sort: patch.sort }),
      ...(patch.parentId !== undefined && { parentId: patch.parentId }),
    })
    .where(eq(areas.id, id))
    .returning();
  return { before, after };
}

export async function deleteArea(tx: Tx, actor: Actor, id: string) {
  const row = await getArea(tx, actor, id);
  const [children] = await tx.select({ n: count() }).from(areas).where(eq(areas.parentId, id));
  if (children.n > 0) throw new AppError('AREA_NOT_EMPTY');
  const [granted] = await tx.select({ n: count() }).from(userAreas).where(eq(userAreas.areaId, id));
  if (granted.n > 0)
    throw new AppError('RESOURCE_CONFLICT', 'The area is granted to users; change their scope first');
  await tx.delete(areas).where(and(eq(areas.id, id)));
  return row;
}

import { AppError } from '@quadmeter/sdk';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { areas, customers } from '../../db/schema/index.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Actor } from '../identity/actor.ts';

/** Join condition from customers to their area (for scope and subtree filters). */
export const customerArea = and(eq(areas.tenantId, customers.tenantId), eq(areas.id, customers.areaId))!;

/** Rows whose area lies inside the actor's scope (undefined = whole tenant, no condition). */
export function areaScopeCondition(actor: Actor): SQL | undefined {
  return actor.areaScope ? sql`${areas.path} && ${uuidArray(actor.areaScope)}` : undefined;
}

/** Rows whose area lies in the subtree of `areaId`. */
export function subtreeCondition(areaId: string): SQL {
  return sql`${areas.path} @> ${uuidArray([areaId])}`;
}

/**
 * Up to this many areas in a (subtree ∩ scope) set, list pages are read area by area: per area
 * the first rows in the list's order by its (tenant, area_id, …) index, then the first of those —
 * bounded work wherever the areas' rows lie in the tenant-wide order. Beyond it the set holds so
 * much of the tenant that walking the tenant-wide order meets its rows quickly.
 */
export const PER_AREA_MAX = 256;

/** The ids of the areas matching `cond` when there are at most PER_AREA_MAX of them, else null. */
export async function fewAreas(tx: Tx, cond: SQL): Promise<string[] | null> {
  const rows = await tx
    .select({ id: areas.id })
    .from(areas)
    .where(cond)
    .limit(PER_AREA_MAX + 1);
  return rows.length > PER_AREA_MAX ? null : rows.map((r) => r.id);
}

/** Today's date (YYYY-MM-DD) in the given IANA zone: what "in force today" means for facts. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** Serialises number generation for one sequence within the tenant until the transaction ends. */
export async function lockSequence(tx: Tx, name: string): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`quadmeter.${name}:`} || current_setting('app.tenant_id'), 0))`,
  );
}

export function notFound(what: string, id: string): AppError {
  return new AppError('RESOURCE_NOT_FOUND', `No such ${what}`, { id });
}

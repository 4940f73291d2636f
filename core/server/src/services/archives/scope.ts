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

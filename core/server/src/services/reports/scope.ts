import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { uuidArray } from '../../db/sql-helpers.ts';
import { inScope } from '../identity/actor.ts';
import type { QueryContext } from './types.ts';

/** Parameters every dataset takes: an optional area (subtree) filter. */
export const areaParam = { areaId: z.uuid().optional() };
export const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
export const dayParam = z.iso.date();

/**
 * `and <alias>.path within the actor's scope [and under areaId]` — `alias` is the `areas` row that
 * decides where a row belongs. An area outside the tenant or the scope is AREA_OUT_OF_SCOPE (404),
 * the same answer either way.
 */
export async function scopeSql(ctx: QueryContext, alias: string, areaId?: string): Promise<SQL> {
  const parts: SQL[] = [];
  const a = sql.raw(alias);
  if (ctx.actor.areaScope) parts.push(sql`and ${a}.path && ${uuidArray(ctx.actor.areaScope)}`);
  if (areaId) {
    await requireArea(ctx, areaId);
    parts.push(sql`and ${a}.path @> array[${areaId}::uuid]`);
  }
  return sql.join(parts, sql` `);
}

export async function requireArea(ctx: QueryContext, areaId: string): Promise<void> {
  const [row] = await ctx.tx.execute<{ path: string[] }>(sql`select path from areas where id = ${areaId}`);
  if (!row || !inScope(ctx.actor, row.path))
    throw new AppError('AREA_OUT_OF_SCOPE', undefined, { id: areaId });
}

/** The first instant of a local day / month in the tenant zone, as timestamptz SQL. */
export function localStart(date: string, tz: string): SQL {
  return sql`(${date}::date::timestamp at time zone ${tz})`;
}

export function monthStart(month: string): string {
  return `${month}-01`;
}

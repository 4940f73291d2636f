import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import { getArea } from '../../areas/areas.ts';
import type { Actor } from '../../identity/actor.ts';

export const GRAINS = ['day', 'month', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

/** Most buckets one chart answers: a year of days, five years of months, twenty years. */
export const MAX_BUCKETS: Record<Grain, number> = { day: 366, month: 60, year: 20 };

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
export const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** A calendar date 'YYYY-MM-DD' that exists (not 2026-02-30), else STATS_RANGE_INVALID. */
export function checkDay(d: string, field: string): string {
  const t = ms(d);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(t) || isoDay(t) !== d || d < '1970-01-01')
    throw new AppError('STATS_RANGE_INVALID', undefined, { field, value: d });
  return d;
}

/** The first day of the bucket of `d`. */
export function bucketOf(d: string, g: Grain): string {
  return g === 'day' ? d : g === 'month' ? `${d.slice(0, 7)}-01` : `${d.slice(0, 4)}-01-01`;
}

/** `d` moved by n buckets (n may be negative); buckets are aligned first days. */
export function shift(d: string, g: Grain, n: number): string {
  if (g === 'day') return isoDay(ms(d) + n * DAY);
  const y = +d.slice(0, 4);
  const m = +d.slice(5, 7) - 1;
  if (g === 'year') return `${String(y + n).padStart(4, '0')}-01-01`;
  const t = y * 12 + m + n;
  return `${String(Math.floor(t / 12)).padStart(4, '0')}-${String((t % 12) + 1).padStart(2, '0')}-01`;
}

/** The buckets (first days) from `from` to `to` inclusive, checked against the grain's limit. */
export function buckets(from: string, to: string, g: Grain): string[] {
  checkDay(from, 'from');
  checkDay(to, 'to');
  if (from > to) throw new AppError('STATS_RANGE_INVALID', 'from is after to', { from, to });
  const out: string[] = [];
  const end = bucketOf(to, g);
  for (let b = bucketOf(from, g); b <= end; b = shift(b, g, 1)) {
    out.push(b);
    if (out.length > MAX_BUCKETS[g])
      throw new AppError('STATS_RANGE_TOO_LARGE', undefined, { grain: g, max: MAX_BUCKETS[g] });
  }
  return out;
}

/**
 * The condition on `areas a` limiting rows to the actor's scope and, with `areaId`, to that area's
 * subtree (AREA_OUT_OF_SCOPE for an area the actor cannot see). Answers the area's depth too.
 */
export async function areaFilter(
  tx: Tx,
  actor: Actor,
  areaId: string | undefined,
): Promise<{ cond: SQL; depth: number }> {
  const parts: SQL[] = [sql`true`];
  let depth = 0;
  if (actor.areaScope) parts.push(sql`a.path && ${uuidArray(actor.areaScope)}`);
  if (areaId) {
    const area = await getArea(tx, actor, areaId);
    parts.push(sql`a.path @> ${uuidArray([areaId])}`);
    depth = area.path.length;
  }
  return { cond: sql.join(parts, sql` and `), depth };
}

/** growth of `cur` over `prev` (0.1 = +10 %), null when there is nothing to compare with. */
export function growth(cur: number, prev: number | null): number | null {
  if (prev === null || prev === 0) return null;
  return Math.round(((cur - prev) / Math.abs(prev)) * 10_000) / 10_000;
}

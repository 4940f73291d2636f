import { AppError } from '@quadmeter/sdk';
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';

/**
 * Shared pieces of the archive lists (customers, accounts, meters …): keyset pagination with an
 * opaque cursor, and a total that never counts more than `COUNT_CAP` rows.
 */

/** Beyond this many matches the total is reported as `COUNT_CAP` with `totalIsEstimate: true`. */
export const COUNT_CAP = 10_000;
export const MAX_LIMIT = 200;

export type CursorValue = string | number;

/** A cursor names the sort it was made for and the sort key + id of the last row of the page. */
interface CursorBody {
  s: string;
  k: CursorValue;
  i: string;
}

export function encodeCursor(sort: string, key: CursorValue, id: string): string {
  const body: CursorBody = { s: sort, k: key, i: id };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decodes a cursor made by `encodeCursor` for the same sort, or throws LIST_CURSOR_INVALID. */
export function decodeCursor(cursor: string, sort: string): { key: CursorValue; id: string } {
  let body: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) throw new Error('alphabet');
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('LIST_CURSOR_INVALID');
  }
  const b = body as Partial<CursorBody> | null;
  const keyOk =
    (typeof b?.k === 'string' && b.k.length <= 1000 && !b.k.includes('\u0000')) ||
    (typeof b?.k === 'number' && Number.isFinite(b.k));
  if (!b || b.s !== sort || !keyOk || typeof b.i !== 'string' || !UUID.test(b.i)) {
    throw new AppError('LIST_CURSOR_INVALID', undefined, { sort });
  }
  return { key: b.k as CursorValue, id: b.i };
}

/**
 * The keyset condition "after (key, id)" for an ordering by `column` then `idColumn`, both in
 * `dir`. `cast` names the SQL type the key is compared as (e.g. 'timestamptz').
 */
export function afterCondition(
  column: AnyColumn | SQL,
  idColumn: AnyColumn,
  dir: 'asc' | 'desc',
  after: { key: CursorValue; id: string },
  cast = 'text',
): SQL {
  const key = sql`cast(${after.key} as ${sql.raw(cast)})`;
  return dir === 'asc'
    ? sql`(${column}, ${idColumn}) > (${key}, ${after.id}::uuid)`
    : sql`(${column}, ${idColumn}) < (${key}, ${after.id}::uuid)`;
}

export interface Page<T> {
  items: T[];
  /** pass as `after` to get the next page; null on the last page */
  next: string | null;
  total: number;
  /** true when more than `COUNT_CAP` rows match and `total` is that cap, not the exact count */
  totalIsEstimate: boolean;
}

/**
 * Counts the rows of `from … where` up to `COUNT_CAP + 1`, so a million-row table costs at most
 * ten thousand index entries. `fromWhere` is the FROM and WHERE part of the list query.
 */
export async function cappedCount(
  tx: Tx,
  fromWhere: SQL,
): Promise<{ total: number; totalIsEstimate: boolean }> {
  const rows = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 ${fromWhere} limit ${COUNT_CAP + 1}) capped`,
  );
  const n = Number(rows[0]?.n ?? 0);
  return n > COUNT_CAP ? { total: COUNT_CAP, totalIsEstimate: true } : { total: n, totalIsEstimate: false };
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells whether a next page
 * exists; the cursor is made from the last row kept.
 */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  sort: string,
  keyOf: (r: R) => { key: CursorValue; id: string },
  dto: (r: R) => T,
  count: { total: number; totalIsEstimate: boolean },
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  const k = last && more ? keyOf(last) : null;
  return {
    items: kept.map(dto),
    next: k ? encodeCursor(sort, k.key, k.id) : null,
    ...count,
  };
}

/** `ilike` pattern for a literal fragment: %, _ and \ in the input match themselves. */
export function likeFragment(s: string): string {
  return `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

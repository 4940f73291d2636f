import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * Small list helpers for the meter and gateway lists (keyset cursor, capped totals, area scope).
 * Local until the shared archive list helpers land.
 */
export const COUNT_CAP = 10_000;

/** An opaque keyset cursor: the sort key and id of the last row of the previous page. */
export function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { key: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      if (/^[0-9a-f-]{36}$/i.test(v[1]) && !v[0].includes('\u0000')) return { key: v[0], id: v[1] };
    }
  } catch {}
  throw new AppError('LIST_CURSOR_INVALID', undefined, [{ path: 'after', message: 'malformed' }]);
}

/** `count(*)` capped: the total is exact up to COUNT_CAP and reported as `COUNT_CAP+` beyond. */
export async function cappedTotal(tx: Tx, from: SQL): Promise<{ total: number; totalCapped: boolean }> {
  const [row] = (await tx.execute(
    sql`select count(*)::int as n from (select 1 from ${from} limit ${COUNT_CAP + 1}) t`,
  )) as unknown as { n: number }[];
  return { total: Math.min(row.n, COUNT_CAP), totalCapped: row.n > COUNT_CAP };
}

/** Rows whose area (`areaPath`, an areas.path expression) lies in the actor's scope. */
export function pathInScope(actor: Actor, areaPath: SQL): SQL | undefined {
  return actor.areaScope ? sql`${areaPath} && ${uuidArray(actor.areaScope)}` : undefined;
}

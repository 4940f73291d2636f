import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { COUNT_CAP } from './list-kit.ts';

/**
 * Fragment search under FORCE row-level security (docs/decisions/0010-search-under-rls.md).
 *
 * The search keys live in `meter_search` / `customer_search`, closed to the app role; the SECURITY
 * DEFINER functions `meter_search_ids` / `customer_search_ids` (migrations/0003) search them with
 * the trigram indexes for the current tenant only and return ids, which the caller's RLS'd list
 * query then joins (area scope and the other filters apply there as always).
 *
 * Two cases go to a plain `ilike` on the table instead, where it is the faster plan:
 * - a query too short for trigrams (one or two ASCII characters): it matches densely, so an
 *   ordered walk finds a page quickly, while the trigram index would read every entry;
 * - a query matching more than SEARCH_CAP rows of the tenant: the id list would cost more than the
 *   walk, which again meets matches often.
 */
export const SEARCH_CAP = COUNT_CAP;

export type CustomerSearchField = 'number' | 'name' | 'address' | 'phone' | 'phone=' | 'any' | 'any+phone';

/** The query in the normal form of the keys (NFKC). */
export function searchText(q: string): string {
  return q.normalize('NFKC');
}

/**
 * True when the query's key has fewer than three characters: one or two ASCII characters (the key
 * drops backslashes and spells any other character in at least five).
 */
export function tooShortForTrigrams(q: string): boolean {
  const s = searchText(q).replaceAll('\\', '');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range
  return /^[\u0000-\u007f]*$/.test(s) && s.length < 3;
}

/** Ids of matching rows (at most SEARCH_CAP), or null when the caller should use its ilike form. */
async function ids(tx: Tx, call: SQL): Promise<string[] | null> {
  const rows = await tx.execute<{ id: string }>(sql`select id from ${call} as id`);
  return rows.length > SEARCH_CAP ? null : rows.map((r) => r.id);
}

export async function meterSearchIds(tx: Tx, q: string): Promise<string[] | null> {
  if (tooShortForTrigrams(q)) return null;
  return ids(tx, sql`meter_search_ids(${q}, ${SEARCH_CAP + 1})`);
}

export async function customerSearchIds(
  tx: Tx,
  field: CustomerSearchField,
  q: string,
): Promise<string[] | null> {
  if (field !== 'phone=' && tooShortForTrigrams(q)) return null;
  return ids(tx, sql`customer_search_ids(${field}, ${q}, ${SEARCH_CAP + 1})`);
}

/** `column = any(ids)`: a leakproof condition, so it is an index condition under RLS. */
export function idIn(column: SQL | { name: string }, list: string[]): SQL {
  return sql`${column} = any(${uuidArray(list)})`;
}

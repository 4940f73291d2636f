import { type SQL, sql } from 'drizzle-orm';

/** A uuid[] parameter (sent as one text value, so no driver array serialisation is involved). */
export function uuidArray(ids: readonly string[]): SQL {
  return sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;
}

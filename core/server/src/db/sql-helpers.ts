import { type SQL, sql } from 'drizzle-orm';

/** A uuid[] parameter (sent as one text value, so no driver array serialisation is involved). */
export function uuidArray(ids: readonly string[]): SQL {
  return sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;
}

const element = (v: string | number | null | undefined) =>
  v === null || v === undefined ? 'NULL' : `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * A column of values as ONE array literal parameter, for `unnest(${arrayOf(xs)}::type[], …)`: a
 * set-based write of thousands of rows without a JSON document to parse or a parameter per value.
 * Every element is quoted (so commas, braces and quotes in text survive); null and undefined are
 * SQL NULL.
 */
export function arrayOf(values: readonly (string | number | null | undefined)[]): SQL {
  return sql`${`{${values.map(element).join(',')}}`}`;
}

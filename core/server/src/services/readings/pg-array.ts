/**
 * A PostgreSQL array literal ('{"a","b",NULL}') for one `$n::type[]` parameter: an unnest insert
 * with text-literal arrays is the fastest batch insert that stays within row-level security
 * (PERFORMANCE.md 2.2), and sidesteps drizzle's rewritten array parsers (2.4).
 */
export function pgArray(values: readonly (string | number | bigint | null | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v !== 'string') out += String(v);
    else out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

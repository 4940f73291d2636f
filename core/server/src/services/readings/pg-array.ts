/**
 * A PostgreSQL array literal ('{"a","b",NULL}') for one `$n::type[]` parameter: an unnest insert
 * with text-literal arrays is the fastest batch insert that stays within row-level security
 * (PERFORMANCE.md 2.2), and sidesteps drizzle's rewritten array parsers (2.4). Built once per
 * column of every batch, so it escapes only the strings that need it.
 */
export function pgArray(values: readonly (string | number | bigint | null | undefined)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v !== 'string') parts[i] = String(v);
    else if (v.includes('"') || v.includes('\\')) parts[i] = `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else parts[i] = `"${v}"`;
  }
  return `{${parts.join(',')}}`;
}

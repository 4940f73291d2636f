import type { ParsedRow } from './entity.ts';

/** A present cell's value; `undefined` when the file has no such column or the cell is empty. */
export function given<T>(row: ParsedRow, key: string): T | undefined {
  const v = row.values.get(key);
  return v === null ? undefined : (v as T | undefined);
}

/** Present-and-empty clears a text field; an absent column keeps what is stored. */
export function textField(row: ParsedRow, key: string, stored: string | null | undefined): string | null {
  if (!row.values.has(key)) return stored ?? null;
  return (row.values.get(key) as string | null) || null;
}

function sortKeys(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Equal as jsonb values (object key order ignored at the top level). */
export const sameJson = (a: unknown, b: unknown) =>
  JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

/** The stored custom values with the file's applied: an empty cell removes the value. */
export function mergeCustom(row: ParsedRow, stored: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...((stored as Record<string, unknown>) ?? {}) };
  for (const [k, v] of row.custom) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

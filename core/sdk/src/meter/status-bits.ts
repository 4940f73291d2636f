import type { StatusFieldDef, StatusFlags } from '../kinds/meter-type.ts';
import type { LocalizedText } from '../plugin/localized.ts';

/**
 * A meter's status word described as data. A flag is true when any bit of `mask` is set; a
 * state reads `log2(values.length)` bits from `shift` and names the value by its index.
 */
export type BitField =
  | { key: string; title: LocalizedText; mask: number }
  | { key: string; title: LocalizedText; shift: number; values: readonly string[] };

function width(values: readonly string[]): number {
  return Math.log2(values.length);
}

/** Decodes a status word (up to 32 bits) by its table. */
export function decodeBits(bits: number, table: readonly BitField[]): StatusFlags {
  const word = bits >>> 0;
  const out: StatusFlags = {};
  for (const f of table) {
    if ('mask' in f) {
      out[f.key] = (word & f.mask) >>> 0 !== 0;
    } else {
      const index = (word >>> f.shift) & ((1 << width(f.values)) - 1);
      out[f.key] = f.values[index];
    }
  }
  return out;
}

/** The status-field declarations that go with a table. */
export function statusFieldsOf(table: readonly BitField[]): StatusFieldDef[] {
  return table.map((f) =>
    'mask' in f
      ? { key: f.key, title: f.title }
      : { key: f.key, title: f.title, values: [...new Set(f.values)] },
  );
}

/** Checks a table: state widths are whole bit counts and no two fields share a bit. */
export function bitTableProblems(table: readonly BitField[]): string[] {
  const problems: string[] = [];
  let used = 0;
  for (const f of table) {
    let mask: number;
    if ('mask' in f) {
      mask = f.mask >>> 0;
    } else {
      const w = width(f.values);
      if (!Number.isInteger(w) || w < 1) {
        problems.push(`${f.key}: needs 2, 4, 8 … values`);
        continue;
      }
      mask = (((1 << w) - 1) << f.shift) >>> 0;
    }
    if (mask === 0) problems.push(`${f.key}: covers no bit`);
    if ((used & mask) >>> 0 !== 0) problems.push(`${f.key}: shares bits with an earlier field`);
    used = (used | mask) >>> 0;
  }
  return problems;
}

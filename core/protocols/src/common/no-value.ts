/**
 * The one "no value" form every codec uses. A register the meter filled with its protocol's
 * no-data byte (DL/T 645, CJ/T 188 and M-Bus BCD: FF; Q/GDW 1376.1: EE) decodes as `null`, never
 * as a rejected frame, and the decoded object that holds it lists where in `missing`: paths
 * relative to that object, e.g. `['value']`, `['values.T3']`, `['current_cumulative']`,
 * `['positiveActive.tariffs_kWh[1]']`. Encoding a `null` writes the fill bytes back.
 */
export interface NoValueFlags {
  /** paths of the fields that came as the protocol's no-data fill, omitted when there are none */
  missing?: string[];
}

/** FF: DL/T 645, CJ/T 188 and M-Bus BCD registers. */
export const FILL_FF = 0xff;
/** EE: Q/GDW 1376.1 appendix A data formats. */
export const FILL_EE = 0xee;

/** True when `len` bytes from `off` are all `fill` (and there is at least one). */
export function isFilled(b: Uint8Array, off: number, len: number, fill: number): boolean {
  if (len <= 0 || off + len > b.length) return false;
  for (let i = off; i < off + len; i++) if (b[i] !== fill) return false;
  return true;
}

export function filled(len: number, fill: number): Uint8Array {
  return new Uint8Array(len).fill(fill);
}

/** Paths of the null values inside decoded data (objects and arrays; `missing` itself skipped). */
export function missingPaths(v: unknown, path = '', out: string[] = []): string[] {
  if (v === null) {
    out.push(path);
  } else if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) missingPaths(x, `${path}[${i}]`, out);
  } else if (typeof v === 'object' && v !== undefined) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (path === '' && k === 'missing') continue;
      missingPaths(x, path ? `${path}.${k}` : k, out);
    }
  }
  return out;
}

/** `data` with `missing` set to the paths of its nulls (unchanged when it has none). */
export function withMissing<T>(data: T): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const missing = missingPaths(data);
  return missing.length > 0 ? { ...data, missing } : data;
}

import { globalRegistry, type z } from 'zod';

export const REDACTED = '[redacted]';

/**
 * Marks a schema as holding a secret (API key, merchant key, password). The mark travels as
 * metadata, so it survives `.describe()` and shows in the JSON Schema as `writeOnly` (the admin
 * renders a password field and never echoes the value). Mark the innermost schema:
 * `secret(z.string()).optional()`, not `secret(z.string().optional())` — both work, but only
 * the first keeps the mark if the wrapper is later replaced.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ writeOnly: true, 'x-secret': true }) as T;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const wrappers = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** True when the schema, or a wrapper around it, carries the secret mark. */
export function isSecret(schema: z.ZodType): boolean {
  let s: z.ZodType | undefined = schema;
  while (s) {
    if (globalRegistry.get(s)?.['x-secret'] === true) return true;
    const def = defOf(s);
    if (wrappers.has(def.type)) s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else s = undefined;
  }
  return false;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (wrappers.has(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

/** Copy of `value` with `fn` applied to every present field the schema marks secret. */
export function mapSecrets(
  schema: z.ZodType | undefined,
  value: unknown,
  fn: (secretValue: unknown) => unknown,
): unknown {
  if (schema === undefined || value === undefined || value === null) return value;
  if (isSecret(schema)) return fn(value);
  const def = defOf(unwrap(schema));
  if (def.type === 'object' && def.shape && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const field = def.shape[k];
      out[k] = field ? mapSecrets(field, v, fn) : v;
    }
    return out;
  }
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    return value.map((v) => mapSecrets(def.element, v, fn));
  }
  if (def.type === 'record' && def.valueType && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapSecrets(def.valueType, v, fn);
    return out;
  }
  return value;
}

/** Copy of `value` with every field the schema marks secret replaced by '[redacted]'. */
export function redact(schema: z.ZodType | undefined, value: unknown): unknown {
  return mapSecrets(schema, value, () => REDACTED);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for what a form sends back for a secret it did not change: nothing, '' or '[redacted]'. */
export function isUnchangedSecret(v: unknown): boolean {
  return v === undefined || v === '' || v === REDACTED;
}

/**
 * Merges a submitted value with the stored one: every secret field the submission leaves absent,
 * empty or '[redacted]' keeps its stored value, so an edit form never has to know the secret.
 */
export function keepSecrets(schema: z.ZodType | undefined, submitted: unknown, stored: unknown): unknown {
  if (schema === undefined) return submitted;
  if (isSecret(schema)) return isUnchangedSecret(submitted) ? stored : submitted;
  const def = defOf(unwrap(schema));
  if (def.type === 'object' && def.shape && (isRecord(submitted) || submitted === undefined)) {
    const out: Record<string, unknown> = { ...(submitted ?? {}) };
    const before = isRecord(stored) ? stored : {};
    for (const [k, field] of Object.entries(def.shape)) {
      const v = keepSecrets(field, out[k], before[k]);
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return submitted === undefined && Object.keys(out).length === 0 ? undefined : out;
  }
  if (def.type === 'array' && def.element && Array.isArray(submitted)) {
    const before = Array.isArray(stored) ? stored : [];
    return submitted.map((v, i) => keepSecrets(def.element, v, before[i]));
  }
  return submitted;
}

/** Dotted paths of the secret fields of an object schema (array items as `[]`). */
export function secretPaths(schema: z.ZodType | undefined, prefix = ''): string[] {
  if (schema === undefined) return [];
  if (isSecret(schema)) return [prefix];
  const def = defOf(unwrap(schema));
  const join = (k: string) => (prefix ? `${prefix}.${k}` : k);
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([k, v]) => secretPaths(v, join(k)));
  }
  if (def.type === 'array' && def.element) return secretPaths(def.element, join('[]'));
  if (def.type === 'record' && def.valueType) return secretPaths(def.valueType, join('*'));
  return [];
}

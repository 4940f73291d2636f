/**
 * The part of JSON Schema that plugin tenant settings use (as produced from their zod schemas):
 * string, number, integer, boolean, enum, arrays, nested objects, and `anyOf` with `null` for
 * nullable fields.
 */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  writeOnly?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  /** The label by language (`{ 'zh-CN': …, en: … }`), as plugins declare with `settingMeta`. */
  'x-title'?: Record<string, string>;
  /** The hint under the field by language. */
  'x-description'?: Record<string, string>;
  /** Names of enum values by language: `{ m3: { 'zh-CN': …, en: … } }`. */
  'x-enum-titles'?: Record<string, Record<string, string>>;
}

export type FieldKind =
  | 'string'
  | 'secret'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'enum'
  | 'string-list'
  | 'object'
  | 'json';

export interface FieldIssue {
  path: string;
  /** A message key under `schemaForm.errors` with its parameters. */
  key: string;
  params?: Record<string, unknown>;
}

const inLocale = (titles: Record<string, string> | undefined, locale: string): string | undefined =>
  titles && typeof titles[locale] === 'string' && titles[locale] ? titles[locale] : undefined;

/** A field's label: its title in the current language, else its plain title, else its key. */
export function fieldLabel(raw: JsonSchema, key: string, locale: string): string {
  const s = unwrap(raw);
  return inLocale(s['x-title'], locale) ?? s.title ?? key;
}

/** The hint under a field, in the current language when the schema has one. */
export function fieldDescription(raw: JsonSchema, locale: string): string | undefined {
  const s = unwrap(raw);
  return inLocale(s['x-description'], locale) ?? s.description;
}

/** The name of one enum value, in the current language when the schema has one. */
export function optionLabel(raw: JsonSchema, value: unknown, locale: string): string {
  return inLocale(unwrap(raw)['x-enum-titles']?.[String(value)], locale) ?? String(value);
}

/** `anyOf: [X, {type:'null'}]` (a nullable X) reads as X. */
export function unwrap(schema: JsonSchema): JsonSchema {
  const variants = schema.anyOf ?? schema.oneOf;
  if (!variants) return schema;
  const real = variants.filter((v) => v.type !== 'null');
  if (real.length !== 1) return schema;
  const { anyOf: _a, oneOf: _o, ...rest } = schema;
  return { ...rest, ...unwrap(real[0]) };
}

function typeOf(schema: JsonSchema): string | undefined {
  const t = schema.type;
  if (Array.isArray(t)) return t.find((x) => x !== 'null');
  if (t) return t;
  if (schema.properties) return 'object';
  if (schema.const !== undefined) return typeof schema.const;
  return undefined;
}

export function fieldKind(raw: JsonSchema): FieldKind {
  const s = unwrap(raw);
  if (Array.isArray(s.enum) && s.enum.length > 0) return 'enum';
  const t = typeOf(s);
  if (t === 'string') return s.format === 'password' || s.writeOnly ? 'secret' : 'string';
  if (t === 'integer') return 'integer';
  if (t === 'number') return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'object' && s.properties) return 'object';
  if (t === 'array') {
    const items = s.items ? unwrap(s.items) : {};
    if (typeOf(items) === 'string' || Array.isArray(items.enum)) return 'string-list';
  }
  return 'json';
}

/** The form model for a schema: current settings first, then schema defaults, then empty values. */
export function initialValue(raw: JsonSchema, current: unknown): unknown {
  const s = unwrap(raw);
  const kind = fieldKind(s);
  if (kind === 'object') {
    const base = isPlainObject(current) ? current : isPlainObject(s.default) ? s.default : {};
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(s.properties ?? {})) out[key] = initialValue(prop, base[key]);
    return out;
  }
  if (current !== undefined) return structuredClone(current);
  if (s.default !== undefined) return structuredClone(s.default);
  if (kind === 'string-list') return [];
  if (kind === 'boolean') return false;
  return undefined;
}

/** The value to send: drops fields left empty so optional settings stay absent. */
export function toSubmitValue(raw: JsonSchema, value: unknown): unknown {
  const s = unwrap(raw);
  if (fieldKind(s) === 'object' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      const v = toSubmitValue(prop, value[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  if (value === '' || value === null) return isNullable(raw) && value === null ? null : undefined;
  return value;
}

function isNullable(raw: JsonSchema): boolean {
  const t = raw.type;
  if (Array.isArray(t) && t.includes('null')) return true;
  return (raw.anyOf ?? raw.oneOf ?? []).some((v) => v.type === 'null');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

/** Checks a submit value against the schema; one issue per offending field, keyed by dotted path. */
export function validate(raw: JsonSchema, value: unknown, path = ''): FieldIssue[] {
  const s = unwrap(raw);
  const kind = fieldKind(s);
  if (isEmpty(value)) return [];
  const issue = (key: string, params?: Record<string, unknown>): FieldIssue[] => [{ path, key, params }];
  switch (kind) {
    case 'object': {
      if (!isPlainObject(value)) return issue('type');
      const out: FieldIssue[] = [];
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        const sub = path ? `${path}.${key}` : key;
        if (isEmpty(value[key]) && (s.required ?? []).includes(key) && !isNullable(prop)) {
          out.push({ path: sub, key: 'required' });
        } else out.push(...validate(prop, value[key], sub));
      }
      return out;
    }
    case 'enum':
      return s.enum!.some((e) => e === value) ? [] : issue('enum');
    case 'boolean':
      return typeof value === 'boolean' ? [] : issue('type');
    case 'integer':
    case 'number':
      return checkNumber(s, value, kind === 'integer', issue);
    case 'string':
    case 'secret':
      return checkString(s, value, issue);
    case 'string-list':
      return checkList(s, value, path);
    default:
      return [];
  }
}

type Issue = (key: string, params?: Record<string, unknown>) => FieldIssue[];

function checkNumber(s: JsonSchema, value: unknown, integer: boolean, issue: Issue): FieldIssue[] {
  if (typeof value !== 'number' || !Number.isFinite(value)) return issue('type');
  if (integer && !Number.isInteger(value)) return issue('integer');
  if (s.minimum !== undefined && value < s.minimum) return issue('min', { min: s.minimum });
  if (s.maximum !== undefined && value > s.maximum) return issue('max', { max: s.maximum });
  if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum)
    return issue('gt', { min: s.exclusiveMinimum });
  if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum)
    return issue('lt', { max: s.exclusiveMaximum });
  return [];
}

function checkString(s: JsonSchema, value: unknown, issue: Issue): FieldIssue[] {
  if (typeof value !== 'string') return issue('type');
  const length = [...value].length;
  if (s.minLength !== undefined && length < s.minLength) return issue('minLength', { min: s.minLength });
  if (s.maxLength !== undefined && length > s.maxLength) return issue('maxLength', { max: s.maxLength });
  if (s.pattern !== undefined && !safeRegExp(s.pattern)?.test(value)) return issue('pattern');
  return [];
}

function checkList(s: JsonSchema, value: unknown, path: string): FieldIssue[] {
  if (!Array.isArray(value)) return [{ path, key: 'type' }];
  if (s.minItems !== undefined && value.length < s.minItems)
    return [{ path, key: 'minItems', params: { min: s.minItems } }];
  if (s.maxItems !== undefined && value.length > s.maxItems)
    return [{ path, key: 'maxItems', params: { max: s.maxItems } }];
  const items = s.items ?? {};
  return value.flatMap((v, i) =>
    validate(items, v, path).map((x) => ({ ...x, params: { ...x.params, index: i + 1 } })),
  );
}

function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return null;
  }
}

/** True when the schema describes at least one setting. */
export function hasSettings(schema: JsonSchema | null | undefined): boolean {
  if (!schema) return false;
  return Object.keys(unwrap(schema).properties ?? {}).length > 0;
}

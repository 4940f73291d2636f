import { AppError, type FieldIssue } from '@quadmeter/sdk';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type customFieldEntities, customFields, type customFieldTypes } from '../../db/schema/index.ts';

export type CustomEntity = (typeof customFieldEntities)[number];
export type CustomFieldType = (typeof customFieldTypes)[number];
type FieldRow = typeof customFields.$inferSelect;
export type CustomValues = Record<string, string | number | boolean>;

/** The permission that guards reading (`read`) and defining (`write`) fields of an entity. */
export function customFieldPermission(entity: CustomEntity, mode: 'read' | 'write'): string {
  return entity === 'customer' || entity === 'account' ? `customers.${mode}` : `meters.${mode}`;
}

export function customFieldDto(f: FieldRow) {
  return {
    entity: f.entity,
    key: f.key,
    label: f.label as { 'zh-CN': string; en: string },
    type: f.type,
    required: f.required,
    options: f.options ?? null,
    sort: f.sort,
  };
}

export async function listCustomFields(tx: Tx, entity: CustomEntity): Promise<FieldRow[]> {
  return await tx
    .select()
    .from(customFields)
    .where(eq(customFields.entity, entity))
    .orderBy(asc(customFields.sort), asc(customFields.key));
}

export async function getCustomField(tx: Tx, entity: CustomEntity, key: string): Promise<FieldRow> {
  const [row] = await tx
    .select()
    .from(customFields)
    .where(and(eq(customFields.entity, entity), eq(customFields.key, key)));
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such custom field', { entity, key });
  return row;
}

export interface FieldInput {
  key: string;
  label: { 'zh-CN': string; en: string };
  type: CustomFieldType;
  required?: boolean;
  options?: string[] | null;
  sort?: number;
}

/** Select fields need a non-empty list of distinct options; other types take none. */
function checkOptions(type: CustomFieldType, options: string[] | null | undefined): string[] | null {
  if (type !== 'select') {
    if (options?.length) throw new AppError('REQ_VALIDATION', 'Only select fields take options');
    return null;
  }
  if (!options?.length) throw new AppError('REQ_VALIDATION', 'A select field needs options');
  if (new Set(options).size !== options.length) throw new AppError('REQ_VALIDATION', 'Options repeat');
  return options;
}

export async function createCustomField(tx: Tx, tenantId: string, entity: CustomEntity, input: FieldInput) {
  const [exists] = await tx
    .select({ key: customFields.key })
    .from(customFields)
    .where(and(eq(customFields.entity, entity), eq(customFields.key, input.key)));
  if (exists) throw new AppError('RESOURCE_CONFLICT', 'The custom field exists', { key: input.key });
  const [row] = await tx
    .insert(customFields)
    .values({
      tenantId,
      entity,
      key: input.key,
      label: input.label,
      type: input.type,
      required: input.required ?? false,
      options: checkOptions(input.type, input.options),
      sort: input.sort ?? 0,
    })
    .returning();
  return row;
}

export type FieldPatch = Partial<Pick<FieldInput, 'label' | 'required' | 'options' | 'sort'>>;

/** The type and key stay fixed: stored values were validated against them. */
export async function updateCustomField(tx: Tx, entity: CustomEntity, key: string, patch: FieldPatch) {
  const before = await getCustomField(tx, entity, key);
  const options = patch.options !== undefined ? checkOptions(before.type, patch.options) : undefined;
  const [after] = await tx
    .update(customFields)
    .set({
      ...(patch.label !== undefined && { label: patch.label }),
      ...(patch.required !== undefined && { required: patch.required }),
      ...(options !== undefined && { options }),
      ...(patch.sort !== undefined && { sort: patch.sort }),
    })
    .where(and(eq(customFields.entity, entity), eq(customFields.key, key)))
    .returning();
  return { before, after };
}

/** Removes the definition; values already stored stay in the rows' `custom` and are no longer shown. */
export async function deleteCustomField(tx: Tx, entity: CustomEntity, key: string) {
  const before = await getCustomField(tx, entity, key);
  await tx.delete(customFields).where(and(eq(customFields.entity, entity), eq(customFields.key, key)));
  return before;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Why `value` does not fit field `f`, or null when it does. */
function valueIssue(f: FieldRow, value: unknown): string | null {
  switch (f.type) {
    case 'text':
      return typeof value === 'string' && value.length <= 1000 && !value.includes('\u0000')
        ? null
        : 'must be text of at most 1000 characters';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 1e15
        ? null
        : 'must be a finite number';
    case 'date':
      return typeof value === 'string' && isDate(value) ? null : 'must be a date YYYY-MM-DD';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'select':
      return typeof value === 'string' && (f.options ?? []).includes(value)
        ? null
        : `must be one of: ${(f.options ?? []).join(', ')}`;
  }
}

/**
 * Validates custom values against the tenant's definitions for `entity` and returns what to
 * store. `values` are the client's input: an unknown key, a value of the wrong type or a select
 * value outside the options is CUSTOM_FIELD_INVALID; `null` clears a field. `previous` (the stored
 * values, on an update) is merged under the input, dropping keys whose definition was removed.
 * Every required field must hold a value in the result.
 */
export async function validateCustom(
  tx: Tx,
  entity: CustomEntity,
  values: Record<string, unknown> | undefined,
  previous?: Record<string, unknown>,
): Promise<CustomValues> {
  const defs = new Map((await listCustomFields(tx, entity)).map((f) => [f.key, f]));
  const issues: FieldIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(previous ?? {})) if (defs.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(values ?? {})) {
    const def = defs.get(k);
    if (!def) {
      issues.push({ path: `custom.${k}`, message: 'unknown custom field' });
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const issue = valueIssue(def, v);
    if (issue) issues.push({ path: `custom.${k}`, message: issue });
    else out[k] = v;
  }
  for (const def of defs.values()) {
    const given = out[def.key];
    if (def.required && (given === undefined || given === '')) {
      if (!issues.some((i) => i.path === `custom.${def.key}`))
        issues.push({ path: `custom.${def.key}`, message: 'required' });
    }
  }
  if (issues.length) throw new AppError('CUSTOM_FIELD_INVALID', undefined, issues);
  return out as CustomValues;
}

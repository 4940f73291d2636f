import { AppError, type FieldIssue } from '@quadmeter/sdk';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type customFieldEntities, customFields } from '../../db/schema/index.ts';

type Entity = (typeof customFieldEntities)[number];
export type CustomValues = Record<string, string | number | boolean>;

/**
 * Minimal stand-in for the shared `validateCustom` of custom-fields.ts (same signature and
 * meaning, so swapping the import is the whole migration): `values` merged over `previous`
 * (null removes a value), checked against the tenant's definitions — unknown keys, types, select
 * options, required fields — and returned as stored.
 */
export async function validateCustom(
  tx: Tx,
  entity: Entity,
  values: Record<string, unknown> | undefined,
  previous?: Record<string, unknown>,
): Promise<CustomValues> {
  const defs = new Map(
    (await tx.select().from(customFields).where(eq(customFields.entity, entity))).map((d) => [d.key, d]),
  );
  const issues: FieldIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(previous ?? {})) if (defs.has(k)) out[k] = v;
  for (const [key, v] of Object.entries(values ?? {})) {
    const d = defs.get(key);
    const path = `custom.${key}`;
    if (!d) {
      issues.push({ path, message: 'no such custom field' });
      continue;
    }
    if (v === null) {
      delete out[key];
      continue;
    }
    const ok =
      (d.type === 'text' && typeof v === 'string') ||
      (d.type === 'number' && typeof v === 'number' && Number.isFinite(v)) ||
      (d.type === 'boolean' && typeof v === 'boolean') ||
      (d.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) ||
      (d.type === 'select' && typeof v === 'string' && (d.options ?? []).includes(v));
    if (ok) out[key] = v;
    else issues.push({ path, message: `must be a ${d.type}${d.type === 'select' ? ' option' : ''}` });
  }
  for (const d of defs.values()) {
    if (d.required && (out[d.key] === undefined || out[d.key] === ''))
      issues.push({ path: `custom.${d.key}`, message: 'is required' });
  }
  if (issues.length) throw new AppError('REQ_VALIDATION', 'Custom fields are invalid', issues);
  return out as CustomValues;
}

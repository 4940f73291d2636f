import { AppError, type FieldIssue } from '@quadmeter/sdk';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type customFieldEntities, customFields } from '../../db/schema/index.ts';

type Entity = (typeof customFieldEntities)[number];
export type CustomValues = Record<string, string | number | boolean | null>;

/**
 * Minimal check of an entity's custom values against the tenant's definitions (unknown keys,
 * types, select options, required fields). Stands in until the shared `validateCustom` lands.
 * `merged` (PATCH: the stored values with the given ones) is what the required check looks at.
 */
export async function checkCustom(tx: Tx, entity: Entity, values: CustomValues, merged?: CustomValues) {
  const defs = await tx.select().from(customFields).where(eq(customFields.entity, entity));
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const issues: FieldIssue[] = [];
  for (const [key, v] of Object.entries(values)) {
    const d = byKey.get(key);
    const path = `custom.${key}`;
    if (!d) {
      issues.push({ path, message: 'no such custom field' });
      continue;
    }
    if (v === null) continue;
    const ok =
      (d.type === 'text' && typeof v === 'string') ||
      (d.type === 'number' && typeof v === 'number' && Number.isFinite(v)) ||
      (d.type === 'boolean' && typeof v === 'boolean') ||
      (d.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) ||
      (d.type === 'select' && typeof v === 'string' && (d.options ?? []).includes(v));
    if (!ok) issues.push({ path, message: `must be a ${d.type}${d.type === 'select' ? ' option' : ''}` });
  }
  const all = merged ?? values;
  for (const d of defs) {
    if (d.required && (all[d.key] === undefined || all[d.key] === null || all[d.key] === ''))
      issues.push({ path: `custom.${d.key}`, message: 'is required' });
  }
  if (issues.length) throw new AppError('REQ_VALIDATION', 'Custom fields are invalid', issues);
}

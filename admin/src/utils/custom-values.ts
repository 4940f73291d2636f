import type { CustomField } from '../api/custom-fields.ts';
import type { CustomValues } from '../api/gateways.ts';

/** The values of the defined fields for a form, missing ones as null (booleans as false). */
export function customFormValues(
  fields: readonly CustomField[],
  stored: Record<string, unknown> | undefined,
): CustomValues {
  const out: CustomValues = {};
  for (const f of fields) {
    const v = stored?.[f.key];
    const scalar = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    out[f.key] = scalar ? v : f.type === 'boolean' ? false : null;
  }
  return out;
}

/** What a form sends: empty text and cleared inputs become null; undefined keys are dropped. */
export function customBody(values: CustomValues): CustomValues {
  const out: CustomValues = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

/** A stored custom value as list text: booleans by the given words, others as they are. */
export function customText(value: unknown, yes: string, no: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? yes : no;
  return String(value);
}

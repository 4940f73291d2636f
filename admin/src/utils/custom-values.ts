import type { CustomField, CustomValue } from '../api/custom-fields.ts';
import { localTitle } from '../i18n/index.ts';

/** The form's starting values: what the object holds for each defined field, else empty. */
export function customFormValues(defs: CustomField[], stored: Record<string, unknown> = {}) {
  const out: Record<string, CustomValue> = {};
  for (const d of defs) {
    const v = stored[d.key];
    out[d.key] =
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? v
        : d.type === 'boolean'
          ? false
          : null;
  }
  return out;
}

/** What to send: empty text becomes null, so a cleared field is cleared on the server too. */
export function customPayload(values: Record<string, CustomValue>): Record<string, CustomValue> {
  const out: Record<string, CustomValue> = {};
  for (const [k, v] of Object.entries(values)) out[k] = v === '' || v === undefined ? null : v;
  return out;
}

/** A stored custom value as text, with its field's label. */
export function customEntries(defs: CustomField[], stored: Record<string, unknown>, yes: string, no: string) {
  return [...defs]
    .sort((a, b) => a.sort - b.sort)
    .map((d) => {
      const v = stored[d.key];
      const text = typeof v === 'boolean' ? (v ? yes : no) : v === null || v === undefined ? '' : String(v);
      return { key: d.key, label: localTitle(d.label, d.key), text };
    });
}

/** A stored custom value as list text: booleans by the given words, others as they are. */
export function customText(value: unknown, yes: string, no: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? yes : no;
  return String(value);
}

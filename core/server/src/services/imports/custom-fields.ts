import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type customFieldEntities, customFields } from '../../db/schema/index.ts';
import { bad, ok, type Parsed, parseBool, parseDate, parseDecimal, parseText } from './parse.ts';

export type CustomField = typeof customFields.$inferSelect;

export async function loadCustomFields(
  tx: Tx,
  entity: (typeof customFieldEntities)[number],
): Promise<CustomField[]> {
  return await tx
    .select()
    .from(customFields)
    .where(and(eq(customFields.entity, entity)))
    .orderBy(asc(customFields.sort), asc(customFields.key));
}

export function customLabel(f: CustomField, lang: 'zh-CN' | 'en'): string {
  const label = (f.label ?? {}) as Record<string, string>;
  return label[lang] || label['zh-CN'] || label.en || f.key;
}

/** Parses a non-empty cell for a custom field into what the jsonb `custom` column stores. */
export function parseCustom(f: CustomField, s: string): Parsed<string | number | boolean> {
  switch (f.type) {
    case 'number': {
      const d = parseDecimal(s.replace(/^-/, ''), 6, 1e15);
      if (!d.ok) return d;
      return ok(Number(s.startsWith('-') ? `-${d.value}` : d.value));
    }
    case 'date':
      return parseDate(s);
    case 'boolean':
      return parseBool(s);
    case 'select': {
      const options = f.options ?? [];
      return options.includes(s) ? ok(s) : bad('option', `must be one of ${options.join(', ')}`);
    }
    default:
      return parseText(s, 1000);
  }
}

/** Turns whatever exceljs hands back for a cell into the text the user sees, trimmed. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return unescapeOoxml(value).trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return v.richText
        .map((p: { text?: string }) => p.text ?? '')
        .join('')
        .trim();
    if ('result' in v) return cellText(v.result);
    if (typeof v.text === 'string') return v.text.trim();
    if (typeof v.error === 'string') return v.error;
  }
  return String(value).trim();
}

/**
 * Characters XML cannot carry (control characters such as NUL) are stored by Excel as `_xHHHH_`
 * (ECMA-376 ST_Xstring); exceljs hands them back verbatim, so they are decoded here.
 */
function unescapeOoxml(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Excel dates arrive as UTC instants: a whole day prints as YYYY-MM-DD, anything else as ISO. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** What can be stored of an original cell in jsonb (which cannot hold NUL) and shown back. */
export function storable(text: string, max = 2000): string {
  const clean = text.replaceAll('\u0000', '\\0');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

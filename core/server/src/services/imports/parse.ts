/** Cell parsers: each returns the value or an error reason (code + message). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const bad = (code: string, message: string): Parsed<never> => ({ ok: false, code, message });

export function parseText(s: string, max: number): Parsed<string> {
  if (s.includes('\u0000')) return bad('nul', 'contains a NUL character');
  if (s.length > max) return bad('too_long', `longer than ${max} characters`);
  return ok(s);
}

/** One of `values`; aliases (e.g. zh-CN labels) map onto them. Case-insensitive. */
export function parseEnum<T extends string>(
  s: string,
  values: readonly T[],
  aliases: Record<string, T> = {},
): Parsed<T> {
  const hit =
    values.find((v) => v.toLowerCase() === s.toLowerCase()) ?? aliases[s] ?? aliases[s.toLowerCase()];
  return hit ? ok(hit) : bad('option', `must be one of ${values.join(', ')}`);
}

const TRUE = new Set(['true', '1', 'yes', 'y', '是', '对']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '不']);

export function parseBool(s: string): Parsed<boolean> {
  const t = s.toLowerCase();
  if (TRUE.has(t)) return ok(true);
  if (FALSE.has(t)) return ok(false);
  return bad('boolean', 'must be yes/no (是/否, true/false, 1/0)');
}

export function parseInt32(s: string, min: number, max: number): Parsed<number> {
  if (!/^[+-]?\d+(\.0+)?$/.test(s)) return bad('integer', 'must be a whole number');
  const n = Number.parseInt(s, 10);
  if (n < min || n > max) return bad('range', `must be between ${min} and ${max}`);
  return ok(n);
}

/** A decimal with at most `scale` places, as a normalised string (exact, no float rounding). */
export function parseDecimal(s: string, scale: number, max: number): Parsed<string> {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(s.replaceAll(',', ''));
  if (!m) return bad('number', 'must be a number');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) return bad('number', `at most ${scale} decimal places`);
  const int = m[2].replace(/^0+(?=\d)/, '');
  if (Number(`${int}.${frac || '0'}`) > max) return bad('range', `must not exceed ${max}`);
  if (m[1] === '-' && /[1-9]/.test(int + frac)) return bad('range', 'must not be negative');
  return ok(frac ? `${int}.${frac}` : int);
}

/** YYYY-MM-DD (also / or . separated); must be a real calendar day. */
export function parseDate(s: string): Parsed<string> {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (!m) return bad('date', 'must be a date YYYY-MM-DD');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || y < 1900 || y > 2999)
    return bad('date', 'is not a valid date');
  return ok(`${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
}

/** Yuan with at most 2 decimals → integer fen as a decimal string (bigint-safe). */
export function parseYuanToFen(s: string): Parsed<string> {
  const d = parseDecimal(s, 2, 1e10);
  if (!d.ok) return d;
  const [i, f = ''] = d.value.split('.');
  return ok(BigInt(`${i}${f.padEnd(2, '0')}`).toString());
}

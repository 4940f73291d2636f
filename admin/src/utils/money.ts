// Money is integer fen on the wire and at rest; a person reads and types yuan. The conversion works
// on the decimal text, never through a float.

const YUAN = /^(\d{1,16})(?:\.(\d{1,2}))?$/;

/** `'12.3'` → `'1230'`; null when the text is not a non-negative amount with at most 2 decimals. */
export function yuanToFen(text: string): string | null {
  const m = YUAN.exec(text.trim());
  if (!m) return null;
  const fen = `${m[1]}${(m[2] ?? '').padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  return fen;
}

/** `'1230'` → `'12.30'` (fen as a decimal string, as the API sends it). */
export function fenToYuan(fen: string | number | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return '';
  const s = String(fen);
  if (!/^-?\d+$/.test(s)) return s;
  const neg = s.startsWith('-');
  const digits = (neg ? s.slice(1) : s).padStart(3, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -2).replace(/^0+(?=\d)/, '')}.${digits.slice(-2)}`;
}

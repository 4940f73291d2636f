/** Fen (integer text) as yuan with two decimals, without floating point. */
export function yuan(fen: string): string {
  const neg = fen.startsWith('-');
  const digits = (neg ? fen.slice(1) : fen).padStart(3, '0');
  return `${neg ? '-' : ''}¥${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

export function when(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

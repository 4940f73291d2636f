const p2 = (n: number): string => String(n).padStart(2, '0');

/** An instant as the terminal's (and its meters') wall clock 'YYYY-MM-DD HH:MM:SS'. */
export function wallTime(ms: number, offsetMin: number): string {
  const d = new Date(ms + offsetMin * 60_000);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

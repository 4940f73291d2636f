/** Meter wall-clock times (a fixed UTC offset, no daylight saving) to and from instants. */

const p2 = (n: number): string => String(n).padStart(2, '0');

/** 'YYYY-MM-DD hh:mm[:ss]' or with T → ISO instant; undefined when it is not a time. */
export function wallToIso(text: unknown, offsetMin: number): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The wall-clock fields of an instant at the offset. */
export function wallOf(ms: number, offsetMin: number): Date {
  return new Date(ms + offsetMin * 60_000);
}

/** 'YYYY-MM-DD hh:mm:ss' of an instant at the offset (what a DL/T 645 command carries). */
export function wallString(ms: number, offsetMin: number): string {
  const w = wallOf(ms, offsetMin);
  return `${w.getUTCFullYear()}-${p2(w.getUTCMonth() + 1)}-${p2(w.getUTCDate())} ${p2(w.getUTCHours())}:${p2(w.getUTCMinutes())}:${p2(w.getUTCSeconds())}`;
}

/** Whole days from date `a` to date `b` ('YYYY-MM-DD'). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Whole months from month `a` to month `b` ('YYYY-MM'). */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split('-').map(Number);
  const [yb, mb] = b.split('-').map(Number);
  return (yb - ya) * 12 + (mb - ma);
}

/** Today's date and month at the offset. */
export function today(nowMs: number, offsetMin: number): { date: string; month: string } {
  const iso = wallOf(nowMs, offsetMin).toISOString();
  return { date: iso.slice(0, 10), month: iso.slice(0, 7) };
}

/** The instant a date or month starts at the offset. */
export function startOf(frozenFor: string, offsetMin: number): string {
  const day = frozenFor.length === 7 ? `${frozenFor}-01` : frozenFor;
  return new Date(Date.parse(`${day}T00:00:00Z`) - offsetMin * 60_000).toISOString();
}

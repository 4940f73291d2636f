/**
 * Calendar dates as 'YYYY-MM-DD' text, handled as UTC day numbers. A period is [from, to): `to` is
 * the first day not included (the next reading day), so consecutive periods share their boundary.
 */

const DAY = 86_400_000;

export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MONTH_DAY_RE = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Day number (days since 1970-01-01) of a valid date, or NaN for text that is no calendar day. */
export function dayOf(date: string): number {
  if (!DATE_RE.test(date)) return Number.NaN;
  const [y, m, d] = date.split('-').map(Number);
  if (y < 1970 || y > 2199) return Number.NaN; // Date.UTC reads years 0–99 as 1900–1999
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return Number.NaN;
  return t / DAY;
}

/** A calendar date of the years 1970–2199. */
export const isDate = (s: string): boolean => !Number.isNaN(dayOf(s));

export function dateOf(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** Year, month (1–12) and day of month of a day number. */
export function partsOf(day: number): { y: number; m: number; d: number } {
  const t = new Date(day * DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export const dayFrom = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / DAY;

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Month and day of an 'MM-DD' text; 02-29 is rejected (a cycle must start every year). */
export function monthDay(md: string): { m: number; d: number } {
  const [m, d] = md.split('-').map(Number);
  return { m, d };
}

export function isMonthDay(md: string): boolean {
  if (!MONTH_DAY_RE.test(md)) return false;
  const { m, d } = monthDay(md);
  return d <= daysInMonth(2023, m);
}

/** The start (day number) of the yearly cycle beginning on `md` that contains `day`. */
export function cycleStartOn(day: number, md: string): number {
  const { m, d } = monthDay(md);
  const { y } = partsOf(day);
  const here = dayFrom(y, m, d);
  return here <= day ? here : dayFrom(y - 1, m, d);
}

/** Every start of a yearly cycle beginning on `md` in (from, to). */
export function cycleStartsWithin(from: number, to: number, md: string): number[] {
  const out: number[] = [];
  const { m, d } = monthDay(md);
  for (let y = partsOf(from).y; dayFrom(y, m, d) < to; y++) {
    const s = dayFrom(y, m, d);
    if (s > from) out.push(s);
  }
  return out;
}

/** Every first day of a month in (from, to). */
export function monthStartsWithin(from: number, to: number): number[] {
  const out: number[] = [];
  let { y, m } = partsOf(from);
  for (;;) {
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
    const s = dayFrom(y, m, 1);
    if (s >= to) return out;
    out.push(s);
  }
}

/**
 * [from, to) cut at month starts: each piece with its month and the share of that month it
 * covers (days / days in the month). A whole calendar month counts 1.
 */
export function monthPieces(from: number, to: number): { month: number; days: number; ofMonth: number }[] {
  const cuts = [from, ...monthStartsWithin(from, to), to];
  const out: { month: number; days: number; ofMonth: number }[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const { y, m } = partsOf(cuts[i]);
    out.push({ month: m, days: cuts[i + 1] - cuts[i], ofMonth: daysInMonth(y, m) });
  }
  return out;
}

/**
 * Occurrences of a yearly season [fromMD, toMD) (which may wrap the new year, like a heating
 * season 11-15 → 03-16) overlapping [from, to): the overlap in days and the season's length.
 */
export function seasonOverlaps(
  from: number,
  to: number,
  fromMD: string,
  toMD: string,
): { days: number; seasonDays: number }[] {
  const a = monthDay(fromMD);
  const b = monthDay(toMD);
  const wraps = b.m < a.m || (b.m === a.m && b.d <= a.d);
  const out: { days: number; seasonDays: number }[] = [];
  const { y: y0 } = partsOf(from);
  const { y: y1 } = partsOf(to);
  for (let y = y0 - 1; y <= y1; y++) {
    const s = dayFrom(y, a.m, a.d);
    const e = dayFrom(wraps ? y + 1 : y, b.m, b.d);
    const days = Math.min(e, to) - Math.max(s, from);
    if (days > 0) out.push({ days, seasonDays: e - s });
  }
  return out;
}

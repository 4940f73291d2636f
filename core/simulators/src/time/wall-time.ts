/**
 * Calendar fields as a meter shows them. Meters keep local wall time; the offset from UTC is a
 * per-device setting (China Standard Time, +480 min, is the default of the field).
 */
export interface WallTime {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday, as DL/T 645 WW
}

export const DEFAULT_UTC_OFFSET_MIN = 480;

export function toWallTime(ms: number, offsetMin = DEFAULT_UTC_OFFSET_MIN): WallTime {
  const d = new Date(ms + offsetMin * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** Epoch ms of a wall-clock instant. */
export function fromWallTime(
  w: Pick<WallTime, 'year' | 'month' | 'day'> & Partial<WallTime>,
  offsetMin = DEFAULT_UTC_OFFSET_MIN,
): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour ?? 0, w.minute ?? 0, w.second ?? 0) - offsetMin * 60_000;
}

/** Start (epoch ms) of the wall-clock day containing `ms`. */
export function startOfWallDay(ms: number, offsetMin = DEFAULT_UTC_OFFSET_MIN): number {
  const w = toWallTime(ms, offsetMin);
  return fromWallTime({ year: w.year, month: w.month, day: w.day }, offsetMin);
}

/** Start (epoch ms) of the wall-clock month containing `ms`, shifted by `deltaMonths`. */
export function startOfWallMonth(ms: number, offsetMin = DEFAULT_UTC_OFFSET_MIN, deltaMonths = 0): number {
  const w = toWallTime(ms, offsetMin);
  return Date.UTC(w.year, w.month - 1 + deltaMonths, 1) - offsetMin * 60_000;
}

/** "YYYY-MM-DD" of the wall day. */
export function wallDate(ms: number, offsetMin = DEFAULT_UTC_OFFSET_MIN): string {
  const w = toWallTime(ms, offsetMin);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

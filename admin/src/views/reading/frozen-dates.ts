// The frozen values a task may ask for: a day's freeze (at the 00:00 that starts it) of the last 31
// days, today's included, and a month's settlement (at the 00:00 that starts it) of the last 12.

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day of `d` as YYYY-MM-DD. */
export const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The local calendar month of `d` as YYYY-MM. */
export const localMonth = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;

/** The first and last day and month a frozen read may name, seen from `now`. */
export function frozenBounds(now: Date) {
  const first = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 30);
  const firstMonth = new Date(now.getFullYear(), now.getMonth() - 11, 1);
  return {
    firstDay: localDay(first),
    lastDay: localDay(now),
    firstMonth: localMonth(firstMonth),
    lastMonth: localMonth(now),
  };
}

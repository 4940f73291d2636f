/**
 * Calendar days and months of instants in the tenants' time zone (Asia/Shanghai unless configured),
 * never implicitly UTC. The zone's offset is looked up once per hour and cached, so a batch of
 * readings costs a map lookup each.
 */
export interface Zone {
  /** the calendar day 'YYYY-MM-DD' of the instant `ms` */
  dayOf(ms: number): string;
  /** the instant the calendar day 'YYYY-MM-DD' (or month 'YYYY-MM') starts */
  startOf(dayOrMonth: string): number;
}

const HOUR = 3_600_000;

export function zone(timeZone: string): Zone {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  /** offset of the zone at `ms`, in ms (local = utc + offset) */
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const h = Math.floor(ms / HOUR);
    let o = offsets.get(h);
    if (o === undefined) {
      const p = Object.fromEntries(fmt.formatToParts(new Date(h * HOUR)).map((x) => [x.type, x.value]));
      const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
      o = local - h * HOUR;
      if (offsets.size > 100_000) offsets.clear();
      offsets.set(h, o);
    }
    return o;
  };
  return {
    dayOf(ms) {
      return new Date(ms + offsetAt(ms)).toISOString().slice(0, 10);
    },
    startOf(dayOrMonth) {
      const [y, m, d = 1] = dayOrMonth.split('-').map(Number);
      const guess = Date.UTC(y, m - 1, d);
      // two passes settle the offset across a daylight-saving change
      const first = guess - offsetAt(guess);
      return guess - offsetAt(first);
    },
  };
}

// Time-of-use bands as a 24-hour bar: one band per whole hour, turned into the format's ranges
// (a range ending at 00:00 ends at midnight) and back; band prices kept to the bands in use.

export const BANDS = ['sharp', 'peak', 'flat', 'valley'] as const;
export type Band = (typeof BANDS)[number];

export interface Range {
  band: Band;
  from: string;
  to: string;
}

export interface TouSeason {
  name?: string;
  months?: number[];
  ranges: Range[];
  prices?: Partial<Record<Band, string>>;
  ratios?: Partial<Record<Band, string>>;
  [k: string]: unknown;
}

const hourOf = (t: string): number | null =>
  /^([01]\d|2[0-4]):00$/.test(t) ? Number(t.slice(0, 2)) % 24 : null;
const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;

/** The band of each hour 0–23, or null when a range does not start and end on a whole hour. */
export function hoursOf(ranges: readonly Range[]): Band[] | null {
  const hours: (Band | undefined)[] = Array(24).fill(undefined);
  for (const r of ranges) {
    const a = hourOf(r.from);
    const b = hourOf(r.to);
    if (a === null || b === null) return null;
    let h = a;
    do {
      hours[h] = r.band;
      h = (h + 1) % 24;
    } while (h !== b);
  }
  return hours.every((b) => b !== undefined) ? (hours as Band[]) : null;
}

/** Runs of equal hours as ranges; a run through midnight is one wrapping range (23:00–07:00). */
export function rangesOf(hours: readonly Band[]): Range[] {
  const start = hours.findIndex((b, h) => b !== hours[(h + 23) % 24]);
  if (start < 0) return [{ band: hours[0], from: '00:00', to: '24:00' }];
  const out: Range[] = [];
  for (let k = 0; k < 24; k++) {
    const h = (start + k) % 24;
    const last = out.at(-1);
    if (last && last.band === hours[h]) last.to = hh(h + 1);
    else out.push({ band: hours[h], from: hh(h), to: hh(h + 1) });
  }
  return out;
}

/** Keeps a season's prices (or ratios) to the bands its ranges use, giving new bands `fallback`. */
export function syncBandValues(s: TouSeason, fallback: string): void {
  const used = new Set(s.ranges.map((r) => r.band));
  const key = s.ratios ? 'ratios' : 'prices';
  const old = s[key] ?? {};
  const next: Partial<Record<Band, string>> = {};
  for (const b of BANDS) if (used.has(b)) next[b] = old[b] ?? (key === 'ratios' ? '1' : fallback);
  s[key] = next;
}

/** Sets hour `h` to the next band (sharp → peak → flat → valley → sharp) and re-derives the season. */
export function cycleHour(s: TouSeason, h: number, fallback: string): boolean {
  const hours = hoursOf(s.ranges);
  if (!hours) return false;
  hours[h] = BANDS[(BANDS.indexOf(hours[h]) + 1) % BANDS.length];
  s.ranges = rangesOf(hours);
  syncBandValues(s, fallback);
  return true;
}

/** A first TOU season: valley 23:00–07:00, flat otherwise, both at `price`. */
export function starterTou(price: string): { seasons: TouSeason[] } {
  return {
    seasons: [
      {
        ranges: [
          { band: 'valley', from: '23:00', to: '07:00' },
          { band: 'flat', from: '07:00', to: '23:00' },
        ],
        prices: { valley: price, flat: price },
      },
    ],
  };
}

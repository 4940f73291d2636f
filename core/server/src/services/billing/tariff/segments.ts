import { AppError } from '@quadmeter/sdk';
import { cycleStartOn, cycleStartsWithin, dateOf, dayOf, monthStartsWithin, partsOf } from './dates.ts';
import { D, prorate, sum, ZERO } from './decimal.ts';
import type { Tariff, TariffVersion } from './schema.ts';
import type { Band } from './schema-parts.ts';
import { seasonOnDay } from './tou.ts';
import type { Usage } from './usage-schema.ts';

/** A stretch of the period with one tariff version, one tier cycle and one TOU season. */
export interface Segment {
  from: number;
  to: number;
  days: number;
  version: TariffVersion;
  consumption: D;
  bands?: Partial<Record<Band, D>>;
  /** the segment's share of the whole period (to 6 places, the shares add up to 1) */
  share: D;
}

function endOf(t: Tariff, i: number): number {
  const v = t.versions[i];
  if (v.effectiveTo) return dayOf(v.effectiveTo);
  const next = t.versions[i + 1];
  return next ? dayOf(next.effectiveFrom) : Number.POSITIVE_INFINITY;
}

/** The cut points a version adds inside [from, to): yearly cycle starts and TOU season changes. */
function cutsOf(v: TariffVersion, from: number, to: number): number[] {
  const cuts: number[] = [];
  for (const c of v.components) {
    if (c.type !== 'usage') continue;
    if (c.tiers?.cycle === 'year') cuts.push(...cycleStartsWithin(from, to, c.tiers.cycleStart ?? '01-01'));
    else if (c.freeAllowance?.per === 'year') cuts.push(...cycleStartsWithin(from, to, '01-01'));
    if (c.tou && c.tou.seasons.length > 1) {
      const seasonOf = (m: number) => c.tou!.seasons.findIndex((s) => !s.months || s.months.includes(m));
      for (const s of monthStartsWithin(from, to)) {
        const m = partsOf(s).m;
        if (seasonOf(m) !== seasonOf(m === 1 ? 12 : m - 1)) cuts.push(s);
      }
    }
  }
  return cuts;
}

/** [from, to) pieces each under one version; a day under no version is TARIFF_NOT_IN_FORCE. */
function versionPieces(t: Tariff, from: number, to: number) {
  const out: { from: number; to: number; version: TariffVersion }[] = [];
  let at = from;
  while (at < to) {
    const i = t.versions.findIndex((v, k) => dayOf(v.effectiveFrom) <= at && at < endOf(t, k));
    if (i < 0)
      throw new AppError(
        'TARIFF_NOT_IN_FORCE',
        `no version of tariff ${t.code} is in force on ${dateOf(at)}`,
        {
          date: dateOf(at),
        },
      );
    const end = Math.min(to, endOf(t, i));
    const cuts = [...new Set(cutsOf(t.versions[i], at, end))].sort((a, b) => a - b);
    for (const [a, b] of [at, ...cuts].map((c, k, all) => [c, all[k + 1] ?? end]))
      out.push({ from: a, to: b, version: t.versions[i] });
    at = end;
  }
  return out;
}

const dec = (s: string | undefined) => (s === undefined ? undefined : new D(s));

function bandsOf(b: Partial<Record<Band, string>> | undefined) {
  if (!b) return undefined;
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, new D(v as string)])) as Partial<
    Record<Band, D>
  >;
}

const total = (b: Partial<Record<Band, D>>) => sum(Object.values(b) as D[]);

function usageError(message: string, path: string): AppError {
  return new AppError('TARIFF_USAGE_INVALID', message, [{ path, message }]);
}

/**
 * Cuts the usage period into segments and gives each its consumption: from the daily values when
 * given, else pro rata by days at the tariff's prorateScale (the parts add up to the whole).
 */
export function segment(t: Tariff, u: Usage): Segment[] {
  const from = dayOf(u.period.from);
  const to = dayOf(u.period.to);
  const pieces = versionPieces(t, from, to);
  const shares = prorate(
    new D(1),
    pieces.map((p) => new D(p.to - p.from)),
    6,
  );
  const base = pieces.map((p, i) => ({ ...p, days: p.to - p.from, share: shares[i] }));
  if (u.daily) {
    const all = sum(u.daily.map((d) => (d.consumption ? new D(d.consumption) : total(bandsOf(d.bands)!))));
    if (u.consumption !== undefined && !all.equals(u.consumption))
      throw usageError('the daily values do not add up to the consumption', 'daily');
    const dated = u.daily.map((d) => ({ d, day: dayOf(d.date) }));
    return base.map((p) => {
      const days = dated.filter((x) => x.day >= p.from && x.day < p.to).map((x) => x.d);
      const withBands = days.filter((d) => d.bands);
      const bands =
        withBands.length === days.length && days.length > 0
          ? sumBands(days.map((d) => bandsOf(d.bands)!))
          : undefined;
      const consumption = sum(
        days.map((d) => (d.consumption ? new D(d.consumption) : total(bandsOf(d.bands)!))),
      );
      days.forEach((d) => {
        if (d.consumption && d.bands && !new D(d.consumption).equals(total(bandsOf(d.bands)!)))
          throw usageError(`on ${d.date} the bands do not add up to the consumption`, 'daily');
      });
      return { ...p, consumption, ...(bands && { bands }) };
    });
  }
  const bands = bandsOf(u.bands);
  const whole = dec(u.consumption) ?? (bands ? total(bands) : ZERO);
  if (bands && u.consumption !== undefined && !total(bands).equals(whole))
    throw usageError('the bands do not add up to the consumption', 'bands');
  const weights = base.map((p) => new D(p.days));
  // a band goes only to the segments whose TOU season has it (critical peak only in some months)
  const bandWeights = (b: Band) => {
    const w = base.map((p) => (inForce(p.version, p.from, b) ? new D(p.days) : ZERO));
    return w.some((x) => !x.isZero()) ? w : weights;
  };
  const byBand = bands
    ? Object.entries(bands).map(
        ([k, v]) => [k, prorate(v as D, bandWeights(k as Band), t.prorateScale)] as const,
      )
    : undefined;
  const parts = prorate(whole, weights, t.prorateScale);
  return base.map((p, i) => {
    if (!byBand) return { ...p, consumption: parts[i] };
    const b = Object.fromEntries(byBand.map(([k, v]) => [k, v[i]])) as Partial<Record<Band, D>>;
    return { ...p, consumption: total(b), bands: b };
  });
}

/** Whether `band` is one of the version's TOU bands on `day` (true when it has no TOU component). */
function inForce(v: TariffVersion, day: number, band: Band): boolean {
  const tous = v.components.flatMap((c) => (c.type === 'usage' && c.tou ? [c.tou] : []));
  return tous.length === 0 || tous.some((tou) => seasonOnDay(tou, day).ranges.some((r) => r.band === band));
}

function sumBands(list: Partial<Record<Band, D>>[]): Partial<Record<Band, D>> {
  const out: Partial<Record<Band, D>> = {};
  for (const b of list)
    for (const [k, v] of Object.entries(b)) out[k as Band] = (out[k as Band] ?? ZERO).plus(v);
  return out;
}

/** Consumption counted in the yearly cycle starting `cycleStart` before segment `i` begins. */
export function yearToDate(segments: Segment[], i: number, u: Usage, cycleStart: string): D {
  const start = cycleStartOn(segments[i].from, cycleStart);
  const carried = start < dayOf(u.period.from);
  if (carried && u.yearToDate === undefined)
    throw usageError(
      `the yearly tier cycle began on ${dateOf(start)}, before the period: give yearToDate (0 if nothing was used)`,
      'yearToDate',
    );
  let ytd = carried ? new D(u.yearToDate!) : ZERO;
  for (let k = 0; k < i; k++) if (segments[k].from >= start) ytd = ytd.plus(segments[k].consumption);
  return ytd;
}

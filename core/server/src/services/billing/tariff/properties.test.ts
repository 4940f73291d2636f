import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthsIn } from './charge-fixed.ts';
import { dateOf, dayFrom, dayOf, partsOf } from './dates.ts';
import { D, sum } from './decimal.ts';
import { example, exampleNames } from './examples.ts';
import { exactLines, parseUsage, quote } from './quote.ts';
import type { Tariff } from './schema.ts';
import type { Usage, UsageInput } from './usage-schema.ts';

const runs = { numRuns: 200 };
const kwh = (max: number) => fc.integer({ min: 0, max }).map(String);

/** A usage any example tariff accepts: all bands, household size, area, yearToDate given. */
function usageFor(
  t: Tariff,
  from: string,
  to: string,
  q: string[],
  extra: Partial<UsageInput> = {},
): UsageInput {
  const tou = t.versions.some((v) => v.components.some((c) => c.type === 'usage' && c.tou));
  // the bands the tariff has in some season (sharp only in the commercial ones, only some months)
  const bands = (['sharp', 'peak', 'flat', 'valley'] as const).filter((b) =>
    t.versions.some((v) =>
      v.components.some(
        (c) => c.type === 'usage' && c.tou?.seasons.some((s) => s.ranges.some((r) => r.band === b)),
      ),
    ),
  );
  // a band used only in months the period does not touch gets nothing (else the usage is wrong)
  const months = new Set<number>();
  for (let d = dayOf(from); d < dayOf(to); d++) months.add(partsOf(d).m);
  const touches = (b: string) =>
    t.versions.some((v) =>
      v.components.some(
        (c) =>
          c.type === 'usage' &&
          c.tou?.seasons.some(
            (s) => (s.months ?? [...months]).some((m) => months.has(m)) && s.ranges.some((r) => r.band === b),
          ),
      ),
    );
  return {
    period: { from, to },
    ...(tou
      ? { bands: Object.fromEntries(bands.map((b, i) => [b, touches(b) ? q[i] : '0'])) }
      : { consumption: q[0] }),
    householdSize: 4,
    heatedArea: '88.5',
    yearToDate: '0',
    ...extra,
  };
}

describe('tariff properties', () => {
  it('the lines add up to the total, each within one rounding step of its exact amount (every example, both rounding rules)', () => {
    const names = exampleNames().filter(
      (n) => n !== 'beijing-commercial-tou' && n !== 'shanghai-commercial-tou',
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...names, 'beijing-commercial-tou', 'shanghai-commercial-tou'),
        fc.integer({ min: dayOf('2024-02-01'), max: dayOf('2025-06-30') }),
        fc.integer({ min: 1, max: 400 }),
        fc.array(
          fc.integer({ min: 0, max: 99_999_99 }).map((n) => new D(n).dividedBy(100).toFixed()),
          {
            minLength: 4,
            maxLength: 4,
          },
        ),
        fc.constantFrom('line', 'total'),
        fc.boolean(),
        (name, start, days, q, at, lowIncome) => {
          const t = example(name);
          t.rounding = { ...t.rounding, at: at as 'line' | 'total' };
          const u = parseUsage(usageFor(t, dateOf(start), dateOf(start + days), q, { lowIncome }));
          const r = quote(t, u);
          expect(r.lines.reduce((a, l) => a + l.amountFen, 0)).toBe(r.totalFen);
          const exact = exactLines(t, u);
          // line: each line within half a fen; total: the running sum is, so a line within one fen
          for (const [i, l] of r.lines.entries())
            expect(
              new D(l.amountFen)
                .minus(exact[i].amount.times(100))
                .abs()
                .lessThanOrEqualTo(at === 'line' ? 0.5 : 1),
            ).toBe(true);
          if (at === 'total')
            expect(r.totalFen).toBe(
              sum(exact.map((l) => l.amount))
                .toDecimalPlaces(2, D.ROUND_HALF_UP)
                .times(100)
                .toNumber(),
            );
        },
      ),
      runs,
    );
  });

  /*
   * Yearly tiers: split [from, to) at any day d, quote [from, d) with the given yearToDate and
   * [d, to) with yearToDate + the first part's consumption. Each tier's quantity over the parts
   * equals the whole's, and so does the exact amount; the fen totals differ at most by the
   * rounding of the extra lines (half a fen per line of either quote).
   */
  it('yearly tiers: quoting two parts with the year-to-date carried equals quoting the whole', () => {
    const names = [
      'beijing-electricity-annual',
      'shanghai-electricity',
      'beijing-water',
      'beijing-gas',
      'zhejiang-electricity',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.integer({ min: 2, max: 330 }),
        fc.integer({ min: 1, max: 329 }),
        kwh(4000),
        kwh(4000),
        kwh(3000),
        (name, length, cutAt, q1, q2, ytd) => {
          fc.pre(cutAt < length);
          const t = example(name);
          t.rounding = { mode: 'half-up', scale: 2, at: 'line' };
          // inside one yearly cycle (a cycle starting on `from` would make yearToDate moot)
          const from = dayFrom(2024, 2, 1);
          const cut = from + cutAt;
          const to = from + length;
          const whole = parseUsage({
            period: { from: dateOf(from), to: dateOf(to) },
            consumption: String(Number(q1) + Number(q2)),
            yearToDate: ytd,
          });
          const a = parseUsage({
            period: { from: dateOf(from), to: dateOf(cut) },
            consumption: q1,
            yearToDate: ytd,
          });
          const b = parseUsage({
            period: { from: dateOf(cut), to: dateOf(to) },
            consumption: q2,
            yearToDate: String(Number(ytd) + Number(q1)),
          });
          const perTier = (ls: ReturnType<typeof exactLines>) => {
            const m = new Map<string, D>();
            for (const l of ls)
              m.set(
                `${l.component}/${l.tier}`,
                (m.get(`${l.component}/${l.tier}`) ?? new D(0)).plus(l.quantity),
              );
            return Object.fromEntries(
              [...m].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed()]),
            );
          };
          const [lw, la, lb] = [exactLines(t, whole), exactLines(t, a), exactLines(t, b)];
          expect(perTier([...la, ...lb])).toEqual(perTier(lw));
          expect(sum([...la, ...lb].map((l) => l.amount)).equals(sum(lw.map((l) => l.amount)))).toBe(true);
          const [qw, qa, qb] = [quote(t, whole), quote(t, a), quote(t, b)];
          const slack = (qw.lines.length + qa.lines.length + qb.lines.length) / 2;
          expect(Math.abs(qa.totalFen + qb.totalFen - qw.totalFen)).toBeLessThanOrEqual(slack);
        },
      ),
      runs,
    );
  });

  /*
   * Monthly tiers pool their thresholds over the period: a two-month bill has twice the monthly
   * thresholds. So quoting the months one by one equals quoting them together exactly when each
   * month's share of the consumption is its share of the thresholds — for whole months of one
   * season, the consumption split evenly by month. (With uneven months the whole-period quote is
   * lower or equal: pooling lets a light month's unused tier 1 absorb a heavy month's excess.)
   */
  it('monthly tiers: whole months quoted one by one with equal consumption equal the months quoted together', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('beijing-electricity-monthly', 'sichuan-electricity', 'wuxi-water'),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        kwh(800),
        fc.array(kwh(800), { minLength: 6, maxLength: 6 }),
        (name, months, startMonth, perMonth, uneven) => {
          const t = example(name);
          t.rounding = { mode: 'half-up', scale: 2, at: 'line' };
          const monthStart = (k: number) => dateOf(dayFrom(2024, 1 + startMonth + k, 1));
          const extra = { householdSize: 5, lowIncome: true };
          const whole = exactLines(
            t,
            parseUsage({
              period: { from: monthStart(0), to: monthStart(months) },
              consumption: String(Number(perMonth) * months),
              ...extra,
            }),
          );
          const parts = Array.from({ length: months }, (_, k) =>
            exactLines(
              t,
              parseUsage({
                period: { from: monthStart(k), to: monthStart(k + 1) },
                consumption: perMonth,
                ...extra,
              }),
            ),
          ).flat();
          const byTier = (ls: typeof whole) =>
            [1, 2, 3].map((k) => sum(ls.filter((l) => l.tier === k).map((l) => l.quantity)).toFixed());
          expect(byTier(parts)).toEqual(byTier(whole));
          expect(sum(parts.map((l) => l.amount)).equals(sum(whole.map((l) => l.amount)))).toBe(true);
          // uneven months: pooled ≤ month by month
          const pooled = exactLines(
            t,
            parseUsage({
              period: { from: monthStart(0), to: monthStart(months) },
              consumption: String(uneven.slice(0, months).reduce((a, b) => a + Number(b), 0)),
              ...extra,
            }),
          );
          const single = uneven.slice(0, months).flatMap((c, k) =>
            exactLines(
              t,
              parseUsage({
                period: { from: monthStart(k), to: monthStart(k + 1) },
                consumption: c,
                ...extra,
              }),
            ),
          );
          expect(sum(pooled.map((l) => l.amount)).lessThanOrEqualTo(sum(single.map((l) => l.amount)))).toBe(
            true,
          );
        },
      ),
      runs,
    );
  });

  /*
   * Monthly tiers at any day, thresholds the same in every month (no seasons): the thresholds of
   * [from, d) and [d, to) are the monthly ones times each part's month share, and add up to the
   * whole's. So quoting the parts with the consumption split in proportion
   * to their month shares gives the same per-tier quantities and exact amount as the whole. (The
   * engine's own pro rata split is by days; the two agree only inside one calendar month.) The
   * proportional quantities are not decimals of 6 places, so this drives the engine directly.
   * With seasonal thresholds (Guangdong 260/600 vs 200/400) no single split of the usage keeps
   * every tier, so no such identity holds across a season change.
   */
  it('monthly tiers: any split with usage in proportion to the month shares equals the whole', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('beijing-electricity-monthly', 'sichuan-electricity', 'wuxi-water'),
        fc.integer({ min: dayOf('2024-02-01'), max: dayOf('2025-06-30') }),
        fc.integer({ min: 2, max: 120 }),
        fc.integer({ min: 1, max: 119 }),
        kwh(2000),
        (name, from, length, cutAt, total) => {
          fc.pre(cutAt < length);
          const t = example(name);
          const [to, cut] = [from + length, from + cutAt];
          const a = monthsIn(from, cut);
          const share = a.dividedBy(monthsIn(from, to));
          const usage = (f: number, e: number, q: D): Usage => ({
            period: { from: dateOf(f), to: dateOf(e) },
            consumption: q.toFixed(),
            householdSize: 6,
          });
          const qa = new D(total).times(share);
          const whole = exactLines(t, usage(from, to, new D(total)));
          const parts = [
            ...exactLines(t, usage(from, cut, qa)),
            ...exactLines(t, usage(cut, to, new D(total).minus(qa))),
          ];
          const tier = (ls: typeof whole, k: number) =>
            sum(ls.filter((l) => l.tier === k).map((l) => l.quantity));
          for (const k of [1, 2, 3])
            expect(tier(parts, k).minus(tier(whole, k)).abs().lessThan('1e-25')).toBe(true);
          expect(
            sum(parts.map((l) => l.amount))
              .minus(sum(whole.map((l) => l.amount)))
              .abs()
              .lessThan('1e-25'),
          ).toBe(true);
        },
      ),
      runs,
    );
  });

  /*
   * Zhejiang TOU with tiers: every kWh costs its band's price in the tier it falls in (the
   * published table: peak 0.568/0.618/0.868, valley 0.288/0.338/0.588). Whatever order peak and
   * valley kWh arrive in over the year, that sum equals the quote: the bands at tier-1 prices plus
   * each tier's volume × its delta.
   */
  it('TOU with tiers equals TOU at tier-1 prices plus the tier deltas × tier volumes, however the bands spread over the tiers', () => {
    const table = { peak: ['0.568', '0.618', '0.868'], valley: ['0.288', '0.338', '0.588'] };
    const bounds = [2760, 4800];
    const t = example('zhejiang-electricity-tou');
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ band: fc.constantFrom('peak', 'valley'), kwh: fc.integer({ min: 1, max: 900 }) }),
          { minLength: 1, maxLength: 20 },
        ),
        fc.integer({ min: 0, max: 6000 }),
        (chunks, ytd) => {
          let at = ytd;
          let expected = new D(0);
          const used = { peak: 0, valley: 0 };
          for (const { band, kwh } of chunks) {
            for (let k = 0; k < 3; k++) {
              const lo = k === 0 ? 0 : bounds[k - 1];
              const hi = k === 2 ? Number.POSITIVE_INFINITY : bounds[k];
              const inTier = Math.max(0, Math.min(hi, at + kwh) - Math.max(lo, at));
              expected = expected.plus(new D(inTier).times(table[band as 'peak' | 'valley'][k]));
            }
            at += kwh;
            used[band as 'peak' | 'valley'] += kwh;
          }
          const u = parseUsage({
            period: { from: '2024-03-01', to: '2024-09-01' },
            bands: { peak: String(used.peak), valley: String(used.valley) },
            yearToDate: String(ytd),
          });
          const lines = exactLines(t, u);
          expect(sum(lines.map((l) => l.amount)).toFixed()).toBe(expected.toFixed());
          expect(quote(t, u).totalFen).toBe(
            lines.reduce((a, l) => a + l.amount.toDecimalPlaces(2, D.ROUND_HALF_UP).times(100).toNumber(), 0),
          );
        },
      ),
      runs,
    );
  });

  it('a version change that changes nothing changes no yearly bill (分段计费 carries the year-to-date)', () => {
    const one = example('beijing-electricity-annual');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 }), kwh(9000), (cutAt, q) => {
        const two: Tariff = structuredClone(one);
        const cut = dateOf(dayFrom(2024, 1, 1) + cutAt);
        two.versions = [
          { ...one.versions[0], version: 'a' },
          { ...one.versions[0], version: 'b', effectiveFrom: cut },
        ];
        const u = parseUsage({ period: { from: '2024-01-01', to: '2025-01-01' }, consumption: q });
        const exact = (t: Tariff) => sum(exactLines(t, u).map((l) => l.amount));
        // pro rata by days at 2 places: the parts add up to the whole exactly
        expect(exact(two).toFixed()).toBe(exact(one).toFixed());
      }),
      runs,
    );
  });
});

import { AppError } from '@quadmeter/sdk';
import { describe, expect, it } from 'vitest';
import { D } from './decimal.ts';
import { example } from './examples.ts';
import { parseTariff, parseUsage, quote } from './quote.ts';
import type { UsageInput } from './usage-schema.ts';

const q = (name: string, usage: UsageInput) => quote(example(name), parseUsage(usage));
const qty = (r: ReturnType<typeof quote>) => r.lines.map((l) => l.quantity);
const code = (fn: () => unknown): [string, unknown] => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? [e.code, e.details] : ['not an AppError', e];
  }
  return ['no error', undefined];
};

/** A one-component tariff around `component`, with optional extras on the version and tariff. */
function tariffWith(component: object, version: object = {}, top: object = {}) {
  return parseTariff({
    formatVersion: 1,
    code: 't',
    name: { 'zh-CN': '测试', en: 'Test' },
    meterKind: 'power',
    ...top,
    versions: [{ version: 'v1', effectiveFrom: '2020-01-01', components: [component], ...version }],
  });
}
const label = { 'zh-CN': '电费', en: 'Electricity' };

describe('tiers', () => {
  it('shift every threshold per extra person (Wuxi: +6 t each above 4 persons)', () => {
    const r = q('wuxi-water', {
      period: { from: '2024-03-01', to: '2024-04-01' },
      consumption: '50',
      householdSize: 6,
    });
    expect(qty(r)).toEqual(['37', '5', '8']);
    expect(
      code(() => q('wuxi-water', { period: { from: '2024-03-01', to: '2024-04-01' }, consumption: '50' }))[0],
    ).toBe('TARIFF_USAGE_INVALID');
  });

  it('multiply per-person thresholds by the household size', () => {
    const t = tariffWith({
      type: 'usage',
      id: 'water',
      label,
      tiers: {
        cycle: 'month',
        thresholds: ['5', '9'],
        household: { rule: 'per-person' },
        prices: ['2', '3', '4'],
      },
    });
    const r = quote(
      t,
      parseUsage({ period: { from: '2024-03-01', to: '2024-04-01' }, consumption: '40', householdSize: 4 }),
    );
    expect(qty(r)).toEqual(['20', '16', '4']);
  });

  it('shift only the first threshold when told (Hunan), closing tier 2 rather than inverting it', () => {
    // April (spring/autumn: 200/350); 7 persons → first threshold 200 + 2 × 100 = 400 > 350
    const r = q('hunan-electricity', {
      period: { from: '2024-04-01', to: '2024-05-01' },
      consumption: '500',
      householdSize: 7,
    });
    expect(r.lines.map((l) => [l.tier, l.quantity])).toEqual([
      [1, '400'],
      [3, '100'],
    ]);
    // July (winter/summer: 200/450), 5 persons: no shift
    const july = q('hunan-electricity', {
      period: { from: '2024-07-01', to: '2024-08-01' },
      consumption: '500',
      householdSize: 5,
    });
    expect(july.lines.map((l) => [l.tier, l.quantity])).toEqual([
      [1, '200'],
      [2, '250'],
      [3, '50'],
    ]);
  });

  it('sum seasonal monthly thresholds over a two-month period (Guangdong April + May, ≥5 persons)', () => {
    // April 200/400 and May 260/600, each +100 for 5 persons → 660 / 1200
    const r = q('guangdong-electricity', {
      period: { from: '2024-04-01', to: '2024-06-01' },
      consumption: '1300',
      householdSize: 5,
    });
    expect(qty(r)).toEqual(['660', '540', '100']);
  });

  it('pro-rate monthly thresholds by the share of each month covered', () => {
    // 16 days of a 31-day January: 240 × 16/31 = 123.870967…
    const r = q('beijing-electricity-monthly', {
      period: { from: '2024-01-16', to: '2024-02-01' },
      consumption: '130',
      householdSize: 2,
    });
    expect(qty(r)).toEqual(['123.870968', '6.129032']);
  });

  it('continue a yearly cycle from yearToDate and restart it at the cycle start', () => {
    const quarter = q('beijing-electricity-annual', {
      period: { from: '2024-04-01', to: '2024-07-01' },
      consumption: '900',
      yearToDate: '2500',
    });
    expect(quarter.lines.map((l) => [l.tier, l.quantity])).toEqual([
      [1, '380'],
      [2, '520'],
    ]);
    // 2023-12-15 … 2024-01-15: 17 days in December, 14 in January, 310 kWh pro rata by days
    const across = q('beijing-electricity-annual', {
      period: { from: '2023-12-15', to: '2024-01-15' },
      consumption: '310',
      yearToDate: '2800',
    });
    expect(across.segments.map((s) => [s.from, s.to, s.consumption])).toEqual([
      ['2023-12-15', '2024-01-01', '170'],
      ['2024-01-01', '2024-01-15', '140'],
    ]);
    expect(across.lines.map((l) => [l.from, l.tier, l.quantity])).toEqual([
      ['2023-12-15', 1, '80'],
      ['2023-12-15', 2, '90'],
      ['2024-01-01', 1, '140'],
    ]);
  });

  it('count a yearly cycle from a configured start day', () => {
    const t = tariffWith({
      type: 'usage',
      id: 'gas',
      label,
      tiers: { cycle: 'year', cycleStart: '07-01', thresholds: ['100'], prices: ['1', '2'] },
    });
    const r = quote(
      t,
      parseUsage({ period: { from: '2024-06-01', to: '2024-08-01' }, consumption: '61', yearToDate: '90' }),
    );
    // June: 30 of 61 days → 30 (tier 1: 10, tier 2: 20); July: a new cycle → 31 in tier 1
    expect(r.lines.map((l) => [l.from, l.tier, l.quantity])).toEqual([
      ['2024-06-01', 1, '10'],
      ['2024-06-01', 2, '20'],
      ['2024-07-01', 1, '31'],
    ]);
  });
});

describe('versions', () => {
  const v = (version: string, effectiveFrom: string, effectiveTo?: string) => ({
    version,
    effectiveFrom,
    ...(effectiveTo && { effectiveTo }),
    components: [{ type: 'usage', id: 'energy', label, price: '1' }],
  });
  const doc = (versions: object[]) => ({
    formatVersion: 1,
    code: 't',
    name: { 'zh-CN': '测试', en: 'Test' },
    meterKind: 'power',
    versions,
  });
  it('must be in order, without overlap and with unique names', () => {
    const messages = (versions: object[]) =>
      (code(() => parseTariff(doc(versions)))[1] as { message: string }[]).map((d) => d.message);
    expect(messages([v('b', '2024-01-01'), v('a', '2023-01-01')])).toEqual([
      'versions must be in effectiveFrom order',
    ]);
    expect(messages([v('a', '2023-01-01', '2024-02-01'), v('b', '2024-01-01')])).toEqual([
      'versions overlap',
    ]);
    expect(messages([v('a', '2023-01-01'), v('a', '2024-01-01')])).toEqual(['version names repeat']);
    expect(messages([v('a', '2023-01-01', '2023-01-01')])).toEqual(['effectiveTo must follow effectiveFrom']);
  });

  it('may leave a gap, which no period may touch', () => {
    const t = parseTariff(doc([v('a', '2023-01-01', '2023-07-01'), v('b', '2024-01-01')]));
    const u = (from: string, to: string) => parseUsage({ period: { from, to }, consumption: '10' });
    expect(quote(t, u('2023-06-01', '2023-07-01')).totalFen).toBe(1000);
    expect(code(() => quote(t, u('2023-06-01', '2023-07-02')))).toEqual([
      'TARIFF_NOT_IN_FORCE',
      { date: '2023-07-01' },
    ]);
    expect(quote(t, u('2024-01-01', '2024-02-01')).segments[0].tariffVersion).toBe('b');
  });
});

describe('splitting a period (分段计费)', () => {
  it('uses daily usage when given instead of days pro rata', () => {
    const daily = Array.from({ length: 30 }, (_, i) => {
      const d = new Date(Date.UTC(2019, 10, 16 + i)).toISOString().slice(0, 10);
      return { date: d, consumption: d < '2019-12-01' ? '2' : '20' };
    });
    const r = q('beijing-electricity-monthly', {
      period: { from: '2019-11-16', to: '2019-12-16' },
      daily,
      householdSize: 6,
    });
    expect(r.segments.map((s) => [s.tariffVersion, s.consumption])).toEqual([
      ['2012-07', '30'],
      ['2019-12', '300'],
    ]);
    expect(
      code(() =>
        q('beijing-electricity-monthly', {
          period: { from: '2019-11-16', to: '2019-12-16' },
          daily: daily.slice(1),
          householdSize: 6,
        }),
      )[0],
    ).toBe('TARIFF_USAGE_INVALID');
    const period = { from: '2019-11-16', to: '2019-12-16' };
    expect(
      code(() => q('beijing-electricity-monthly', { period, daily, consumption: '331', householdSize: 6 })),
    ).toEqual([
      'TARIFF_USAGE_INVALID',
      [{ path: 'daily', message: 'the daily values do not add up to the consumption' }],
    ]);
    expect(
      q('beijing-electricity-monthly', { period, daily, consumption: '330', householdSize: 6 }).totalFen,
    ).toBe(r.totalFen);
  });

  it('refuses a period with a day under no version', () => {
    expect(
      code(() =>
        q('sichuan-electricity', { period: { from: '2021-06-20', to: '2021-07-10' }, consumption: '9' }),
      ),
    ).toEqual(['TARIFF_NOT_IN_FORCE', { date: '2021-06-20' }]);
  });
});

describe('fixed charges, minimum, allowances and rounding', () => {
  const flat = { type: 'usage', id: 'energy', label, price: '0.5' };
  const usage = (from: string, to: string, consumption = '10') =>
    parseUsage({ period: { from, to }, consumption });

  it('charges per day, per month share and per period', () => {
    const fee = (per: string) => ({
      type: 'fixed',
      id: 'fee',
      label: { 'zh-CN': '表租', en: 'Meter rent' },
      amount: '3',
      per,
    });
    const u = usage('2024-01-16', '2024-03-01');
    expect(quote(tariffWith(fee('day')), u).lines[0]).toMatchObject({ quantity: '45', amountFen: 13500 });
    // 16/31 of January + all of February
    expect(quote(tariffWith(fee('month')), u).lines[0]).toMatchObject({
      quantity: '1.516129',
      amountFen: 455,
    });
    expect(quote(tariffWith(fee('period')), u).lines[0]).toMatchObject({ quantity: '1', amountFen: 300 });
  });

  it('charges a heating season by area for the share of the season covered (a late start)', () => {
    // the season 2024-11-15 … 2025-03-16 has 121 days; from 2024-12-01 the customer has 105 of them
    const r = q('beijing-heat-area', {
      period: { from: '2024-12-01', to: '2025-03-16' },
      consumption: '0',
      heatedArea: '90',
    });
    expect(r.lines[0].quantity).toBe('78.099174'); // 90 × 105/121 m²·season
    expect(r.totalFen).toBe(187438); // 2160 × 105/121 = 1874.380…
    // two seasons in one period count twice; days outside the season nothing
    const two = q('beijing-heat-area', {
      period: { from: '2024-06-01', to: '2026-06-01' },
      consumption: '0',
      heatedArea: '90',
    });
    expect(two.totalFen).toBe(432000);
  });

  it('tops up to the minimum charge', () => {
    const t = tariffWith(flat, { minimumCharge: { amount: '10', per: 'month' } });
    const r = quote(t, usage('2024-03-01', '2024-04-01'));
    expect(r.lines.map((l) => [l.kind, l.amountFen])).toEqual([
      ['usage', 500],
      ['minimum', 500],
    ]);
    expect(quote(t, usage('2024-03-01', '2024-04-01', '30')).totalFen).toBe(1500);
  });

  it('credits a yearly allowance only up to what is left of it', () => {
    const t = tariffWith({ ...flat, freeAllowance: { quantity: '100', per: 'year', lowIncomeOnly: false } });
    const u = parseUsage({
      period: { from: '2024-06-01', to: '2024-07-01' },
      consumption: '50',
      yearToDate: '80',
    });
    const credit = quote(t, u).lines.find((l) => l.kind === 'allowance')!;
    expect([credit.quantity, credit.amountFen]).toEqual(['20', -1000]);
  });

  it('renews a yearly allowance on 1 January even with monthly tiers', () => {
    const t = tariffWith({
      ...flat,
      tiers: undefined,
      freeAllowance: { quantity: '100', per: 'year', lowIncomeOnly: false },
    });
    const u = parseUsage({
      period: { from: '2023-12-01', to: '2024-02-01' },
      consumption: '310',
      yearToDate: '90',
    });
    // December: 155 kWh, 10 left of 2023's allowance; January: a new year, 100 free
    expect(
      quote(t, u)
        .lines.filter((l) => l.kind === 'allowance')
        .map((l) => [l.from, l.quantity]),
    ).toEqual([
      ['2023-12-01', '10'],
      ['2024-01-01', '100'],
    ]);
  });

  it('rounds by the stated mode and scale', () => {
    const c = { type: 'usage', id: 'energy', label, price: '0.125' };
    const u = usage('2024-03-01', '2024-04-01', '1'); // 0.125 元
    const fen = (rounding: object) => quote(tariffWith(c, {}, { rounding }), u).totalFen;
    expect(fen({ mode: 'half-up' })).toBe(13);
    expect(fen({ mode: 'half-even' })).toBe(12);
    expect(fen({ mode: 'down' })).toBe(12);
    expect(fen({ mode: 'up', scale: 1 })).toBe(20);
    expect(fen({ mode: 'half-up', scale: 0 })).toBe(0);
  });

  it('keeps exact decimals: 0.1 + 0.2 style sums do not drift', () => {
    const t = tariffWith(
      { type: 'usage', id: 'energy', label, price: '0.1' },
      {},
      { rounding: { at: 'total' } },
    );
    const r = quote(t, usage('2024-03-01', '2024-04-01', '0.3'));
    expect(r.lines[0].amount).toBe(new D('0.03').toFixed());
    expect(r.totalFen).toBe(3);
  });
});

import { AppError } from '@quadmeter/sdk';
import { describe, expect, it } from 'vitest';
import { example, exampleJson } from './examples.ts';
import { parseTariff, parseUsage, quote } from './quote.ts';
import { bandAt, bandPrices, seasonIn } from './tou.ts';
import type { UsageInput } from './usage-schema.ts';

const q = (name: string, usage: UsageInput) => quote(example(name), parseUsage(usage));
const _qty = (r: ReturnType<typeof quote>) => r.lines.map((l) => l.quantity);
const code = (fn: () => unknown): [string, unknown] => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? [e.code, e.details] : ['not an AppError', e];
  }
  return ['no error', undefined];
};

/** A one-component tariff around `component`, with optional extras on the version and tariff. */
function _tariffWith(component: object, version: object = {}, top: object = {}) {
  return parseTariff({
    formatVersion: 1,
    code: 't',
    name: { 'zh-CN': '测试', en: 'Test' },
    meterKind: 'power',
    ...top,
    versions: [{ version: 'v1', effectiveFrom: '2020-01-01', components: [component], ...version }],
  });
}
const _label = { 'zh-CN': '电费', en: 'Electricity' };

describe('time-of-use bands', () => {
  const tou = example('beijing-commercial-tou').versions[0].components[0];
  if (tou.type !== 'usage' || !tou.tou) throw new Error('fixture');
  it('finds the band at a time, wrapping midnight, by season', () => {
    expect(bandAt(tou.tou!, 7, '11:30')).toBe('sharp');
    expect(bandAt(tou.tou!, 7, '10:59')).toBe('peak');
    expect(bandAt(tou.tou!, 3, '11:30')).toBe('peak');
    expect(bandAt(tou.tou!, 1, '19:00')).toBe('sharp');
    expect(bandAt(tou.tou!, 3, '19:00')).toBe('peak');
    expect(bandAt(tou.tou!, 3, '23:30')).toBe('valley');
    expect(bandAt(tou.tou!, 3, '00:00')).toBe('valley');
    expect(bandAt(tou.tou!, 3, '06:59')).toBe('valley');
    expect(bandAt(tou.tou!, 3, '07:00')).toBe('flat');
  });

  it('derives band prices from ratios, rounded to the price scale', () => {
    const prices = bandPrices(tou.tou!, seasonIn(tou.tou!, 7), undefined);
    expect(Object.fromEntries(Object.entries(prices).map(([b, p]) => [b, p!.toFixed()]))).toEqual({
      sharp: '1.2312',
      peak: '1.026',
      flat: '0.6',
      valley: '0.216',
    });
    const r = q('beijing-commercial-tou', {
      period: { from: '2024-07-01', to: '2024-08-01' },
      bands: { sharp: '100', peak: '200', flat: '300', valley: '400' },
    });
    // 123.12 + 205.20 + 180.00 + 86.40
    expect(r.totalFen).toBe(59472);
  });

  it('splits a period across a change of TOU season pro rata by days, each part at its own ratios', () => {
    // Shanghai commercial: June is an "other month" (1.6 / 0.5), July summer (1.8 / 0.4)
    const r = q('shanghai-commercial-tou', {
      period: { from: '2024-06-21', to: '2024-07-11' },
      bands: { peak: '200', flat: '100', valley: '100' },
    });
    expect(r.segments.map((s) => [s.from, s.to, s.consumption])).toEqual([
      ['2024-06-21', '2024-07-01', '200'],
      ['2024-07-01', '2024-07-11', '200'],
    ]);
    expect(r.lines.map((l) => [l.band, l.quantity, l.price])).toEqual([
      ['peak', '100', '0.96'],
      ['flat', '50', '0.6'],
      ['valley', '50', '0.3'],
      ['peak', '100', '1.08'],
      ['flat', '50', '0.6'],
      ['valley', '50', '0.24'],
    ]);
    expect(r.totalFen).toBe(9600 + 3000 + 1500 + 10800 + 3000 + 1200);
  });

  it('refuses ranges that overlap, leave a gap, or a band without a price', () => {
    const base = exampleJson('shanghai-electricity-tou') as any;
    const ranges = (rs: object[]) => {
      const t = structuredClone(base);
      t.versions[0].components[0].tou.seasons[0].ranges = rs;
      return t;
    };
    const messages = (t: unknown) =>
      (code(() => parseTariff(t)) as [string, { message: string }[]])[1].map((d) => d.message);
    expect(
      messages(
        ranges([
          { band: 'peak', from: '06:00', to: '22:00' },
          { band: 'valley', from: '21:00', to: '06:00' },
        ]),
      ),
    ).toEqual(['time ranges overlap']);
    expect(
      messages(
        ranges([
          { band: 'peak', from: '06:00', to: '22:00' },
          { band: 'valley', from: '23:00', to: '06:00' },
        ]),
      ),
    ).toEqual(['time ranges leave hours uncovered']);
    expect(
      messages(
        ranges([
          { band: 'peak', from: '06:00', to: '22:00' },
          { band: 'flat', from: '22:00', to: '06:00' },
        ]),
      ),
    ).toEqual(['band flat has no price', 'band valley is priced but never in force']);
    expect(
      messages(
        ranges([
          { band: 'peak', from: '00:00', to: '24:00' },
          { band: 'valley', from: '00:00', to: '00:00' },
        ]),
      ),
    ).toEqual(['empty range 00:00–00:00']);
  });

  it('asks for bands when the tariff prices by time of use', () => {
    expect(
      code(() =>
        q('shanghai-electricity-tou', { period: { from: '2024-01-01', to: '2025-01-01' }, consumption: '9' }),
      ),
    ).toEqual(['TARIFF_USAGE_INVALID', [{ path: 'bands', message: 'required by the tariff' }]]);
    expect(
      code(() =>
        q('shanghai-electricity-tou', {
          period: { from: '2024-01-01', to: '2025-01-01' },
          bands: { flat: '9' },
        }),
      )[0],
    ).toBe('TARIFF_USAGE_INVALID');
  });
});

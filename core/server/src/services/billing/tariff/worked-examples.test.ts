import { describe, expect, it } from 'vitest';
import { example, exampleNames } from './examples.ts';
import { parseUsage, quote } from './quote.ts';
import type { UsageInput } from './usage-schema.ts';

// Every worked example of BILLING.md §1, priced through the example tariff files of docs/tariffs/.

const year = (from: string, to: string) => ({ period: { from, to } });
const q = (name: string, usage: UsageInput) => quote(example(name), parseUsage(usage));
const byComponent = (r: ReturnType<typeof quote>) => {
  const out: Record<string, number> = {};
  for (const l of r.lines) out[l.component] = (out[l.component] ?? 0) + l.amountFen;
  return out;
};

describe('BILLING.md worked examples, to the fen', () => {
  it('every example file is a valid format-1 tariff', () => {
    const names = exampleNames();
    expect(names.length).toBeGreaterThanOrEqual(18);
    for (const n of names) expect(() => example(n), n).not.toThrow();
  });

  it('E1 Beijing, annual 3,500 kWh → 1740.05', () => {
    const r = q('beijing-electricity-annual', { ...year('2024-01-01', '2025-01-01'), consumption: '3500' });
    expect(r.totalFen).toBe(174005);
    expect(r.lines.map((l) => [l.tier, l.quantity, l.price, l.amount])).toEqual([
      [1, '2880', '0.4883', '1406.304'],
      [2, '620', '0.5383', '333.746'],
    ]);
    expect(r.lines.every((l) => l.tariffVersion === '2012-07')).toBe(true);
  });

  it('E2 Beijing, annual 6,000 kWh → 3385.80', () => {
    const r = q('beijing-electricity-annual', { ...year('2024-01-01', '2025-01-01'), consumption: 6000 });
    expect(r.totalFen).toBe(338580);
    expect(r.lines.map((l) => l.quantity)).toEqual(['2880', '1920', '1200']);
  });

  it('E3 Beijing monthly thresholds, 450 kWh, standard household → 242.74', () => {
    const r = q('beijing-electricity-monthly', {
      ...year('2020-03-01', '2020-04-01'),
      consumption: '450',
      householdSize: 3,
    });
    expect(r.totalFen).toBe(24274);
    expect(r.lines.map((l) => l.quantity)).toEqual(['240', '160', '50']);
  });

  it('E4 same, ≥6-person household (340/500) → 225.24 with the total rounded once', () => {
    const r = q('beijing-electricity-monthly', {
      ...year('2020-03-01', '2020-04-01'),
      consumption: '450',
      householdSize: 6,
    });
    expect(r.lines.map((l) => [l.quantity, l.amount])).toEqual([
      ['340', '166.022'],
      ['110', '59.213'],
    ]);
    expect(r.totalFen).toBe(22524);
    // rounding each line instead would give 166.02 + 59.21 = 225.23: the rule is the tariff's
    const perLine = example('beijing-electricity-monthly');
    perLine.rounding = { ...perLine.rounding, at: 'line' };
    expect(
      quote(
        perLine,
        parseUsage({ ...year('2020-03-01', '2020-04-01'), consumption: '450', householdSize: 6 }),
      ).totalFen,
    ).toBe(22523);
  });

  it('before 2019-12-01 the Beijing household rule did not exist; a period across it is split', () => {
    const before = q('beijing-electricity-monthly', {
      ...year('2019-11-01', '2019-12-01'),
      consumption: '450',
      householdSize: 6,
    });
    expect(before.totalFen).toBe(24274);
    const across = q('beijing-electricity-monthly', {
      ...year('2019-11-16', '2019-12-16'),
      consumption: '450',
      householdSize: 6,
    });
    expect(across.segments).toEqual([
      { from: '2019-11-16', to: '2019-12-01', days: 15, tariffVersion: '2012-07', consumption: '225' },
      { from: '2019-12-01', to: '2019-12-16', days: 15, tariffVersion: '2019-12', consumption: '225' },
    ]);
    // Nov: half of November → thresholds 120/200; 225 = 120 + 80 + 25
    // Dec: 15/31 of December → thresholds (340, 500) × 15/31 = 164.516…/241.935…
    const nov = across.lines.filter((l) => l.tariffVersion === '2012-07').map((l) => l.quantity);
    expect(nov).toEqual(['120', '80', '25']);
    const dec = across.lines.filter((l) => l.tariffVersion === '2019-12').map((l) => l.quantity);
    expect(dec).toEqual(['164.516129', '60.483871']);
  });

  it('E5 Shanghai, annual 5,000 kWh, no TOU → 3229.00', () => {
    const r = q('shanghai-electricity', { ...year('2024-01-01', '2025-01-01'), consumption: '5000' });
    expect(r.totalFen).toBe(322900);
  });

  it('E6 Shanghai TOU, tier 1 only: 1,400 peak + 600 valley → 1048.00', () => {
    const r = q('shanghai-electricity-tou', {
      ...year('2024-01-01', '2025-01-01'),
      bands: { peak: '1400', valley: '600' },
    });
    expect(r.totalFen).toBe(104800);
    expect(r.lines.map((l) => [l.band, l.price, l.amountFen])).toEqual([
      ['peak', '0.617', 86380],
      ['valley', '0.307', 18420],
    ]);
  });

  it('E9 Sichuan, one month 300 kWh → 172.72; a low-income household gets 15 kWh (7.84) back', () => {
    const usage = { ...year('2024-03-01', '2024-04-01'), consumption: '300' };
    expect(q('sichuan-electricity', usage).totalFen).toBe(17272);
    const low = q('sichuan-electricity', { ...usage, lowIncome: true });
    const credit = low.lines.find((l) => l.kind === 'allowance')!;
    expect([credit.quantity, credit.price, credit.amountFen]).toEqual(['15', '-0.5224', -784]);
    expect(low.totalFen).toBe(17272 - 784);
  });

  it('W1 Beijing water, 200 m³/year → 1040.00 (water 454 + resource 314 + sewage 272)', () => {
    const r = q('beijing-water', { ...year('2024-01-01', '2025-01-01'), consumption: '200' });
    expect(r.totalFen).toBe(104000);
    expect(byComponent(r)).toEqual({ water: 45400, 'water-resource': 31400, sewage: 27200 });
  });

  it('W2 Beijing water, 300 m³/year → 1820.00 (water 941 + resource 471 + sewage 408)', () => {
    const r = q('beijing-water', { ...year('2024-01-01', '2025-01-01'), consumption: '300' });
    expect(r.totalFen).toBe(182000);
    expect(byComponent(r)).toEqual({ water: 94100, 'water-resource': 47100, sewage: 40800 });
  });

  it('the self-supplied well prices add up to the same 5/7/9 元', () => {
    const r = q('beijing-water-well', { ...year('2024-01-01', '2025-01-01'), consumption: '300' });
    expect(r.totalFen).toBe(182000);
  });

  it('G1 Beijing gas, ordinary household, 400 m³/year → 1055.00', () => {
    const r = q('beijing-gas', { ...year('2024-01-01', '2025-01-01'), consumption: '400' });
    expect(r.totalFen).toBe(105500);
    // a wall-hung boiler household stays in tier 1 for the same 400 m³
    expect(
      q('beijing-gas-heating', { ...year('2024-01-01', '2025-01-01'), consumption: '400' }).totalFen,
    ).toBe(104400);
  });

  it('other Beijing structures: non-residential water at the residential price, rural 煤改气 gas', () => {
    const water = q('beijing-water-nonresidential', {
      ...year('2024-01-01', '2025-01-01'),
      consumption: '100',
    });
    expect(byComponent(water)).toEqual({ water: 30700, 'water-resource': 15700, sewage: 13600 });
    // 2500 × 2.61 + 300 × 2.83 = 6525 + 849
    const gas = q('beijing-gas-rural', { ...year('2024-01-01', '2025-01-01'), consumption: '2800' });
    expect(gas.totalFen).toBe(737400);
  });

  it('H1 Beijing heat by area, 90 m², one season → 2160.00', () => {
    const r = q('beijing-heat-area', {
      ...year('2024-11-15', '2025-03-16'),
      consumption: '0',
      heatedArea: '90',
    });
    expect(r.totalFen).toBe(216000);
    expect(r.lines[0]).toMatchObject({ quantity: '90', price: '24', unit: 'm²' });
  });

  it('two-part heat: the lower of metered and area-based (就低不就高)', () => {
    const season = { ...year('2024-11-15', '2025-03-16'), heatedArea: '90' };
    // 90 × 12 + 5000 × 0.16 = 1080 + 800 = 1880 < 2160: the metered charge
    const low = q('beijing-heat-metered', { ...season, consumption: '5000' });
    expect(low.totalFen).toBe(188000);
    expect(low.lines.map((l) => l.kind)).toEqual(['heat-base', 'heat-energy']);
    // 1080 + 9000 × 0.16 = 2520 > 2160: capped with a −360.00 line
    const high = q('beijing-heat-metered', { ...season, consumption: '9000' });
    expect(high.lines.map((l) => [l.kind, l.amountFen])).toEqual([
      ['heat-base', 108000],
      ['heat-energy', 144000],
      ['true-up', -36000],
    ]);
    expect(high.totalFen).toBe(216000);
  });
});

import { describe, expect, it } from 'vitest';
import { addTier, type Tiers, removeTier } from '../src/views/tariffs/tariff-body.ts';
import { cycleHour, hoursOf, rangesOf, starterTou, type TouSeason } from '../src/views/tariffs/tou-hours.ts';

// The designer's TOU hour bar and tier table edits, on the format's own structures.

describe('TOU hours', () => {
  it('reads ranges wrapping midnight as 24 hourly bands and writes them back as the same ranges', () => {
    const ranges = [
      { band: 'valley', from: '23:00', to: '07:00' },
      { band: 'flat', from: '07:00', to: '10:00' },
      { band: 'peak', from: '10:00', to: '13:00' },
      { band: 'flat', from: '13:00', to: '23:00' },
    ] as const;
    const hours = hoursOf([...ranges])!;
    expect(hours.slice(0, 8)).toEqual(['valley', 'valley', 'valley', 'valley', 'valley', 'valley', 'valley', 'flat']);
    expect(hours[23]).toBe('valley');
    expect(rangesOf(hours)).toEqual([
      { band: 'flat', from: '07:00', to: '10:00' },
      { band: 'peak', from: '10:00', to: '13:00' },
      { band: 'flat', from: '13:00', to: '23:00' },
      { band: 'valley', from: '23:00', to: '07:00' },
    ]);
  });

  it('refuses half-hour ranges (edited in the JSON) and covers a one-band day as 00:00–24:00', () => {
    expect(hoursOf([{ band: 'flat', from: '00:00', to: '12:30' }, { band: 'peak', from: '12:30', to: '00:00' }])).toBeNull();
    expect(rangesOf(Array(24).fill('flat'))).toEqual([{ band: 'flat', from: '00:00', to: '24:00' }]);
  });

  it('cycles an hour to the next band and keeps prices to the bands in use', () => {
    const s = starterTou('0.5').seasons[0] as TouSeason;
    expect(cycleHour(s, 12, '0.8')).toBe(true); // flat → valley
    expect(s.ranges).toEqual([
      { band: 'flat', from: '07:00', to: '12:00' },
      { band: 'valley', from: '12:00', to: '13:00' },
      { band: 'flat', from: '13:00', to: '23:00' },
      { band: 'valley', from: '23:00', to: '07:00' },
    ]);
    cycleHour(s, 12, '0.8'); // valley → sharp: a new band gets the fallback price
    expect(s.prices).toEqual({ sharp: '0.8', flat: '0.5', valley: '0.5' });
    cycleHour(s, 12, '0.8'); // sharp → peak: sharp is in use nowhere, so it loses its price
    expect(s.prices).toEqual({ peak: '0.8', flat: '0.5', valley: '0.5' });
  });
});

describe('tier table', () => {
  it('adds a tier above the last and removes one with the threshold closing it', () => {
    const t: Tiers = { cycle: 'month', thresholds: ['100'], prices: ['1', '5'] };
    addTier(t);
    expect(t).toEqual({ cycle: 'month', thresholds: ['100', '200'], prices: ['1', '5', '5'] });
    t.prices[2] = '9';
    removeTier(t, 1); // the 100–200 tier goes: above 100 is now priced 9
    expect(t).toEqual({ cycle: 'month', thresholds: ['100'], prices: ['1', '9'] });
    removeTier(t, 0); // two tiers stay
    expect(t.prices).toEqual(['1', '9']);
  });
});

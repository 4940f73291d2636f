import { describe, expect, it } from 'vitest';
import { linearFill, profileFill, similarFill } from '../estimate.ts';

const H = 3_600_000;

describe('estimation of gaps', () => {
  it('linear: on the straight line, only inside the gap', () => {
    const e = linearFill({ t: 0, v: 10 }, { t: 4 * H, v: 14 }, [-H, H, 2 * H, 3 * H, 5 * H]);
    expect(e).toEqual([
      { t: H, v: 11, method: 'linear' },
      { t: 2 * H, v: 12, method: 'linear' },
      { t: 3 * H, v: 13, method: 'linear' },
    ]);
    expect(linearFill({ t: 4 * H, v: 1 }, { t: 0, v: 2 }, [H])).toEqual([]);
  });

  it('profile: follows last week’s shape and still lands on both ends', () => {
    const week = 7 * 24 * H;
    // last week all the usage of these four hours came in the first hour
    const history = [
      { t: -week, v: 0 },
      { t: -week + H, v: 4 },
      { t: -week + 4 * H, v: 4 },
    ];
    const e = profileFill({ t: 0, v: 100 }, { t: 4 * H, v: 108 }, [H, 2 * H, 3 * H], history);
    expect(e.map((x) => x.v)).toEqual([108, 108, 108]);
    expect(e.every((x) => x.method === 'profile')).toBe(true);
  });

  it('profile: falls back to linear when last week shows no usage', () => {
    const e = profileFill(
      { t: 0, v: 0 },
      { t: 2 * H, v: 2 },
      [H],
      [
        { t: -7 * 24 * H, v: 5 },
        { t: -7 * 24 * H + 2 * H, v: 5 },
      ],
    );
    expect(e).toEqual([{ t: H, v: 1, method: 'linear' }]);
  });

  it('similar: the last reading plus the peers’ mean hourly usage; nothing without peers', () => {
    const e = similarFill(
      { t: 0, v: 50 },
      [2 * H],
      [
        { usage: 2, hours: 24 },
        { usage: 4, hours: 24 },
      ],
    );
    expect(e).toEqual([{ t: 2 * H, v: 50.25, method: 'similar' }]);
    expect(similarFill({ t: 0, v: 50 }, [H], [])).toEqual([]);
  });
});

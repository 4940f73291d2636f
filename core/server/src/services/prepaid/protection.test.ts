import { describe, expect, it } from 'vitest';
import { zone } from '../readings/zone.ts';
import { BUILTIN_POLICY } from './policy-types.ts';
import { type Calendar, cutAllowedAt, type Protection } from './protection.ts';

const z = zone('Asia/Shanghai');
/** an instant given as Shanghai local time */
const at = (local: string) => Date.parse(`${local}+08:00`);
const iso = (ms: number | 'never') => (ms === 'never' ? ms : new Date(ms).toISOString());
const p = (
  o: Partial<Protection['policy']> = {},
  calendar: Calendar = new Map(),
  keepPower = false,
): Protection => ({
  keepPower,
  policy: { ...BUILTIN_POLICY, ...o },
  calendar,
  zone: z,
});

describe('protection windows', () => {
  it('lets a cut in the working day through unchanged', () => {
    expect(cutAllowedAt(p(), at('2026-12-02T10:00:00'))).toBe(at('2026-12-02T10:00:00'));
  });

  it('defers a cut in the night window to the window end, before and after midnight', () => {
    expect(iso(cutAllowedAt(p(), at('2026-12-02T22:20:00')))).toBe(iso(at('2026-12-03T08:00:00')));
    expect(iso(cutAllowedAt(p(), at('2026-12-03T03:00:00')))).toBe(iso(at('2026-12-03T08:00:00')));
    expect(cutAllowedAt(p(), at('2026-12-02T21:59:59'))).toBe(at('2026-12-02T21:59:59'));
    expect(cutAllowedAt(p(), at('2026-12-03T08:00:00'))).toBe(at('2026-12-03T08:00:00'));
  });

  it('a night window inside one day (start before end) and a switched-off one', () => {
    const day = p({ nightStart: '12:00', nightEnd: '14:00' });
    expect(iso(cutAllowedAt(day, at('2026-12-02T13:00:00')))).toBe(iso(at('2026-12-02T14:00:00')));
    expect(cutAllowedAt(p({ nightProtect: false }), at('2026-12-02T23:00:00'))).toBe(
      at('2026-12-02T23:00:00'),
    );
  });

  it('a night ending on a holiday runs on through the holiday and the next night', () => {
    const cal: Calendar = new Map([['2026-12-03', 'holiday']]);
    expect(iso(cutAllowedAt(p({}, cal), at('2026-12-02T22:20:00')))).toBe(iso(at('2026-12-04T08:00:00')));
    // holidays not protected: the holiday is an ordinary day
    expect(iso(cutAllowedAt(p({ holidayProtect: false }, cal), at('2026-12-02T22:20:00')))).toBe(
      iso(at('2026-12-03T08:00:00')),
    );
  });

  it('weekends are protected only when asked, and a make-up working day is not a weekend', () => {
    // 2026-12-05 is a Saturday
    const sat = at('2026-12-05T10:00:00');
    expect(cutAllowedAt(p(), sat)).toBe(sat);
    expect(iso(cutAllowedAt(p({ weekendProtect: true }), sat))).toBe(iso(at('2026-12-07T08:00:00')));
    const makeUp: Calendar = new Map([['2026-12-06', 'workday']]);
    expect(iso(cutAllowedAt(p({ weekendProtect: true }, makeUp), sat))).toBe(iso(at('2026-12-06T08:00:00')));
  });

  it('keep-power never allows a cut', () => {
    expect(cutAllowedAt(p({}, new Map(), true), at('2026-12-02T10:00:00'))).toBe('never');
  });
});

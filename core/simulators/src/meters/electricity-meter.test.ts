import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/clock.ts';
import { fromWallTime, toWallTime } from '../time/wall-time.ts';
import { ElectricityMeter } from './electricity-meter.ts';
import { constantProfile, householdProfile } from './load-profile.ts';

const HOUR = 3_600_000;
const start = fromWallTime({ year: 2026, month: 3, day: 10, hour: 12 });

function meter(clock: ManualClock, extra: Partial<ConstructorParameters<typeof ElectricityMeter>[0]> = {}) {
  return new ElectricityMeter({
    address: '000000000161',
    clock,
    load: constantProfile(2),
    initialEnergy: 100,
    ...extra,
  });
}

describe('ElectricityMeter registers', () => {
  it('advances positive energy with the load and books it on the tariff of the hour', () => {
    const clock = new ManualClock(start);
    const m = meter(clock);
    clock.advance(3 * HOUR); // 12:00-15:00, all flat (T3) in the default schedule
    const r = m.registers();
    expect(r.positive[0]).toBe(106);
    expect(r.positive[3]).toBe(25 + 6);
    expect(r.positive[1]).toBe(25);
    expect(r.reverse[0]).toBe(0);
  });

  it('total equals the sum of the tariffs over a day of a household profile', () => {
    const clock = new ManualClock(start);
    const m = meter(clock, { load: householdProfile(3), initialEnergy: 0 });
    clock.advance(24 * HOUR);
    const r = m.registers();
    const sum = r.positive[1] + r.positive[2] + r.positive[3] + r.positive[4];
    expect(r.positive[0]).toBeGreaterThan(10);
    expect(Math.abs(r.positive[0] - sum)).toBeLessThan(0.02);
  });

  it('integrates generation into reverse energy', () => {
    const clock = new ManualClock(start);
    const m = meter(clock, { generation: constantProfile(1.5) });
    clock.advance(2 * HOUR);
    expect(m.registers().reverse[0]).toBe(3);
  });
});

describe('ElectricityMeter freezes', () => {
  it('keeps the last 31 daily freezes at 00:00, newest first', () => {
    const clock = new ManualClock(start);
    const m = meter(clock);
    clock.advance(40 * 24 * HOUR);
    m.advance();
    expect(m.daily.size).toBe(31);
    const last1 = m.daily.last(1);
    const w = toWallTime(last1?.at ?? 0, m.utcOffsetMin);
    expect([w.hour, w.minute]).toEqual([0, 0]);
    expect(w.day).toBe(toWallTime(clock.now(), m.utcOffsetMin).day);
    // 2 kW all day → 48 kWh between consecutive daily freezes
    expect((last1?.positive[0] ?? 0) - (m.daily.last(2)?.positive[0] ?? 0)).toBe(48);
    expect(m.daily.last(32)).toBeUndefined();
  });

  it('keeps the last 12 settlement values on the 1st at 00:00', () => {
    const clock = new ManualClock(start);
    const m = meter(clock);
    clock.advance(420 * 24 * HOUR);
    m.advance();
    expect(m.monthly.size).toBe(12);
    const w = toWallTime(m.monthly.last(1)?.at ?? 0, m.utcOffsetMin);
    expect([w.day, w.hour]).toEqual([1, 0]);
  });

  it('the freeze command takes an instant snapshot and moves the daily freeze time', () => {
    const clock = new ManualClock(start);
    const m = meter(clock);
    clock.advance(HOUR);
    m.freeze({ kind: 'instant' });
    expect(m.instantFreezes.last(1)?.positive[0]).toBe(102);
    m.freeze({ kind: 'daily', hour: 23, minute: 30 });
    clock.advance(12 * HOUR); // through 23:30
    m.advance();
    const w = toWallTime(m.daily.last(1)?.at ?? 0, m.utcOffsetMin);
    expect([w.hour, w.minute]).toEqual([23, 30]);
  });
});

describe('ElectricityMeter relay and prepaid', () => {
  it('trips, stops counting, closes again and records both', () => {
    const clock = new ManualClock(start);
    const m = meter(clock);
    const until = clock.now() + HOUR;
    expect(m.relayControl('trip', until, '12345678')).toBeNull();
    expect(m.relay.state).toBe('tripped');
    clock.advance(HOUR);
    expect(m.registers().positive[0]).toBe(100);
    expect(m.instantaneous().activePower).toBe(0);
    expect(m.relayControl('close', clock.now() + HOUR)).toBeNull();
    expect(m.relay.state).toBe('closed');
    expect(m.events.tripCount).toBe(1);
    expect(m.events.closeCount).toBe(1);
    expect(m.events.trips.last(1)?.operator).toBe('12345678');
  });

  it('refuses expired commands and trips while keep-power is on', () => {
    const clock = new ManualClock(start);
    const m = meter(clock);
    expect(m.relayControl('trip', clock.now() - 1000)).toBe('expired');
    expect(m.relayControl('keep-power', clock.now() + 1000)).toBeNull();
    expect(m.relayControl('trip', clock.now() + 1000)).toBe('keep-power');
    expect(m.relay.state).toBe('closed');
    m.relayControl('keep-power-clear', clock.now() + 1000);
    m.relayControl('alarm', clock.now() + 1000);
    expect(m.relay).toEqual({ state: 'closed', alarm: true, keepPower: false });
  });

  it('spends the balance, alarms, trips past the overdraft limit and closes after a top-up', () => {
    const clock = new ManualClock(start);
    const m = meter(clock, { prepaid: { balance: 10, price: 0.5, alarm1: 5, alarm2: 2, overdraftLimit: 3 } });
    clock.advance(5 * HOUR); // 10 kWh → 5 yuan
    m.advance();
    expect(m.prepaid.balance).toBeCloseTo(5, 6);
    expect(m.relay.alarm).toBe(false);
    clock.advance(9 * HOUR); // 18 kWh more would be −4; trips at the first step below −3
    m.advance();
    expect(m.relay.state).toBe('tripped');
    expect(m.prepaid.balance).toBeCloseTo(-3.25, 6); // no spending once tripped
    expect(m.relay.alarm).toBe(true);
    m.topUp(50);
    expect(m.relay.state).toBe('closed');
    expect(m.relay.alarm).toBe(false);
  });

  it('refuses a top-up past the hoarding limit and stays open below the close-permit amount', () => {
    const clock = new ManualClock(start);
    const m = meter(clock, { prepaid: { balance: -2, hoardingLimit: 100, closePermit: 20 } });
    expect(m.relayControl('trip', clock.now() + HOUR)).toBeNull();
    expect(m.topUp(150)).toBe(false);
    expect(m.prepaid.balance).toBe(-2);
    expect(m.topUp(12)).toBe(true);
    expect(m.relay.state).toBe('tripped');
    expect(m.topUp(10)).toBe(true);
    expect(m.relay.state).toBe('closed');
  });
});

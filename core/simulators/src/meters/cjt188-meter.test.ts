import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/clock.ts';
import { fromWallTime, toWallTime } from '../time/wall-time.ts';
import { CJT188_TYPES, Cjt188Meter } from './cjt188-meter.ts';
import { constantProfile } from './load-profile.ts';
import { MBUS_MEDIA, MbusMeter } from './mbus-meter.ts';

const HOUR = 3_600_000;
const start = fromWallTime({ year: 2026, month: 1, day: 20 });

describe('Cjt188Meter', () => {
  it('accumulates flow and takes the settlement value on the settlement day', () => {
    const clock = new ManualClock(start);
    const m = new Cjt188Meter({
      type: CJT188_TYPES.coldWater,
      address: '00000805000001',
      clock,
      flow: constantProfile(0.1),
      initialVolume: 10,
    });
    clock.advance(10 * HOUR);
    m.advance();
    expect(m.snapshot().volume).toBe(11);
    clock.advance(400 * 24 * HOUR);
    m.advance();
    expect(m.history.size).toBe(12);
    const w = toWallTime(m.settlementValue.at, m.utcOffsetMin);
    expect([w.day, w.hour]).toEqual([1, 0]);
    expect(m.history.last(1)).toEqual(m.settlementValue);
  });

  it('stops flowing with the valve closed and reports valve and battery in ST', () => {
    const clock = new ManualClock(start);
    const m = new Cjt188Meter({
      type: CJT188_TYPES.gas,
      address: '00000805000002',
      clock,
      flow: constantProfile(1),
    });
    m.setValve(false);
    clock.advance(5 * HOUR);
    m.advance();
    expect(m.snapshot().volume).toBe(0);
    expect(m.statusByte()).toBe(0x01);
    m.batteryLow = true;
    m.setValve(true);
    expect(m.statusByte()).toBe(0x04);
  });

  it('heat meters integrate heat from flow and temperature difference', () => {
    const clock = new ManualClock(start);
    const m = new Cjt188Meter({
      type: CJT188_TYPES.heat,
      address: '00000805000003',
      clock,
      flow: constantProfile(1),
      supplyTemp: 60,
      returnTemp: 50,
    });
    clock.advance(2 * HOUR);
    m.advance();
    expect(m.snapshot().heat).toBe(23.26);
    expect(m.body.power).toBe(11.63);
    expect(Math.round(m.body.workingHours)).toBe(2);
  });

  it('rejects a malformed address', () => {
    expect(() => new Cjt188Meter({ type: 0x10, address: '123', clock: new ManualClock(start) })).toThrow(
      /14 digits/,
    );
  });
});

describe('MbusMeter', () => {
  it('keeps monthly storage numbers and counts access numbers', () => {
    const clock = new ManualClock(start);
    const m = new MbusMeter({
      primary: 5,
      id: '12345678',
      medium: MBUS_MEDIA.heat,
      clock,
      flow: constantProfile(0.5),
    });
    clock.advance(70 * 24 * HOUR);
    expect(m.current().volume).toBe(840);
    expect(m.stored(1)?.volume).toBeLessThan(840);
    expect(m.stored(3)).toBeUndefined();
    expect(m.stored(2)).toBeDefined();
    expect([m.nextAccess(), m.nextAccess()]).toEqual([1, 2]);
  });
});

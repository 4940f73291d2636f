import { describe, expect, it } from 'vitest';
import * as mbus from '../../../protocols/src/mbus/index.ts';
import { ManualClock } from '../time/clock.ts';
import { fromWallTime } from '../time/wall-time.ts';
import { constantProfile } from './load-profile.ts';
import { MbusDevice } from './mbus-device.ts';
import { MBUS_MEDIA, MbusMeter } from './mbus-meter.ts';

const DAY = 86_400_000;

function setup(medium: number = MBUS_MEDIA.water) {
  const clock = new ManualClock(fromWallTime({ year: 2026, month: 1, day: 15 }));
  const meter = new MbusMeter({
    primary: 7,
    id: '12345678',
    medium,
    clock,
    flow: constantProfile(0.01),
    initialVolume: 50,
    initialHeat: 1000,
  });
  return { clock, meter, dev: new MbusDevice(meter) };
}

describe('MbusDevice', () => {
  it('acks SND_NKE and answers REQ_UD2 with the volume and stored months', () => {
    const { clock, meter, dev } = setup();
    clock.advance(40 * DAY);
    expect([...(dev.handle(mbus.buildSndNke(7)) as Uint8Array)]).toEqual([0xe5]);
    const f = mbus.decode(dev.handle(mbus.buildReqUd2(7)) as Uint8Array);
    expect(f.header?.id).toBe('12345678');
    expect(f.header?.accessNo).toBe(1);
    const vol = f.records?.filter((r) => r.quantity === 'volume') ?? [];
    expect(vol[0].value).toBeCloseTo(meter.current().volume, 3);
    expect(vol[1].storage).toBe(1);
    expect(vol[1].value).toBeCloseTo(meter.stored(1)?.volume ?? -1, 3);
    expect(f.records?.find((r) => r.storage === 1 && typeof r.value === 'string')?.value).toMatch(
      /^2026-02-01/,
    );
  });

  it('heat meters add energy, power, flow and temperatures', () => {
    const { dev } = setup(MBUS_MEDIA.heat);
    const f = mbus.decode(dev.handle(mbus.buildReqUd2(7)) as Uint8Array);
    const energy = f.records?.find((r) => r.quantity === 'energy');
    expect(energy?.rawValue).toBe(1000);
    expect(f.records?.length).toBeGreaterThanOrEqual(6);
  });

  it('selects by secondary address with wildcards, answers on FD, deselects on SND_NKE', () => {
    const { dev, meter } = setup();
    expect(dev.handle(mbus.buildReqUd2(0xfd))).toBeNull();
    expect(dev.handle(mbus.buildSelectSecondary({ id: '1234FFFF' }))).toEqual(Uint8Array.of(0xe5));
    expect(meter.selected).toBe(true);
    expect(mbus.decode(dev.handle(mbus.buildReqUd2(0xfd)) as Uint8Array).a).toBe(7);
    expect(dev.handle(mbus.buildSndNke(0xfd))).toEqual(Uint8Array.of(0xe5));
    expect(meter.selected).toBe(false);
    expect(dev.handle(mbus.buildSelectSecondary({ id: '99999999' }))).toBeNull();
  });

  it('ignores other primary addresses and stays silent on FF', () => {
    const { dev } = setup();
    expect(dev.handle(mbus.buildReqUd2(8))).toBeNull();
    expect(dev.handle(mbus.buildSndNke(0xff))).toBeNull();
    expect(dev.handle(mbus.buildSetPrimaryAddress(7, 9))).toEqual(Uint8Array.of(0xe5));
    expect(dev.meter.primary).toBe(9);
  });
});

import { describe, expect, it } from 'vitest';
import * as dlt645 from '../../../protocols/src/dlt645/index.ts';
import { ManualClock } from '../time/clock.ts';
import { fromWallTime } from '../time/wall-time.ts';
import { Dlt645Device } from './dlt645-device.ts';
import { ElectricityMeter } from './electricity-meter.ts';
import { constantProfile } from './load-profile.ts';

const HOUR = 3_600_000;

function setup(variant: '2007' | '1997' = '2007') {
  const clock = new ManualClock(fromWallTime({ year: 2026, month: 3, day: 10, hour: 12 }));
  const meter = new ElectricityMeter({
    address: '000000000161',
    variant,
    clock,
    load: constantProfile(2),
    initialEnergy: 100,
  });
  return { clock, meter, dev: new Dlt645Device(meter) };
}

const ask = (dev: Dlt645Device, req: Uint8Array) => {
  const r = dev.handle(req);
  return r ? dlt645.decodeFrame(r, { version: dev.meter.variant }) : null;
};

describe('Dlt645Device', () => {
  it('answers energy and block reads with the model registers, FE-prefixed', () => {
    const { clock, meter, dev } = setup();
    clock.advance(HOUR);
    const raw = dev.handle(dlt645.buildReadRequest('000000000161', '00010000')) as Uint8Array;
    expect([...raw.subarray(0, 4)]).toEqual([0xfe, 0xfe, 0xfe, 0xfe]);
    expect(dlt645.decodeFrame(raw).value).toBe(102);
    const block = ask(dev, dlt645.buildReadRequest('000000000161', '0001FF00'));
    expect(block?.values).toEqual({ total: 102, T1: 25, T2: 25, T3: 27, T4: 25 });
    expect(meter.registers().positive[0]).toBe(102);
  });

  it('answers the daily frozen block and its freeze time', () => {
    const { clock, dev } = setup();
    clock.advance(30 * HOUR);
    expect(ask(dev, dlt645.buildReadRequest('000000000161', '05060001'))?.value).toBe('2026-03-11 00:00');
    expect(ask(dev, dlt645.buildReadRequest('000000000161', '05060101'))?.values?.total).toBe(124);
    const none = ask(dev, dlt645.buildReadRequest('000000000161', '05060102'));
    expect(none?.error).toBe(true);
    expect(none?.errorCode).toBe(2);
  });

  it('trips the relay and reports it in status word 3 and the trip record', () => {
    const { clock, meter, dev } = setup();
    const ok = ask(
      dev,
      dlt645.buildRelayControl('000000000161', {
        action: 'trip',
        validUntil: '2026-03-10 13:00:00',
        operator: '00001234',
      }),
    );
    expect(ok?.control).toBe('9C');
    expect(meter.relay.state).toBe('tripped');
    expect(ask(dev, dlt645.buildReadRequest('000000000161', '04000503'))?.value).toBe('0050');
    const rec = ask(dev, dlt645.buildReadRequest('000000000161', '1D000001'))?.value as Record<
      string,
      unknown
    >;
    expect(rec.time).toBe('2026-03-10 12:00:00');
    expect(rec.operator).toBe('00001234');
    clock.advance(2 * HOUR);
    const late = ask(
      dev,
      dlt645.buildRelayControl('000000000161', { action: 'direct-close', validUntil: '2026-03-10 13:00:00' }),
    );
    expect(late?.control).toBe('DC');
    expect(meter.relay.state).toBe('tripped');
  });

  it('ignores other addresses, answers the wildcard, takes broadcast freeze silently', () => {
    const { meter, dev } = setup();
    expect(dev.handle(dlt645.buildReadRequest('000000000162', '00010000'))).toBeNull();
    expect(ask(dev, dlt645.buildReadAddress())?.meterAddress).toBe('000000000161');
    expect(dev.handle(dlt645.buildFreeze(dlt645.BROADCAST_ADDRESS, '99999999'))).toBeNull();
    expect(meter.instantFreezes.size).toBe(1);
  });

  it('a 1997 meter answers 9010 and rejects 2007 identifiers', () => {
    const { dev } = setup('1997');
    expect(ask(dev, dlt645.buildReadRequest('000000000161', '9010'))?.value).toBe(100);
    expect(ask(dev, dlt645.buildReadRequest('000000000161', 'C032'))?.value).toBe('000000000161');
    expect(dev.handle(dlt645.buildReadRequest('000000000161', '00010000'))).toBeNull();
    expect(ask(dev, dlt645.buildReadRequest('000000000161', 'B660'))?.error).toBe(true);
  });

  it('a meter with a password refuses 1C and writes without it (error word bit 2)', () => {
    const clock = new ManualClock(fromWallTime({ year: 2026, month: 3, day: 10, hour: 12 }));
    const meter = new ElectricityMeter({ address: '000000000171', clock, password: '02123456' });
    const dev = new Dlt645Device(meter);
    const trip = (password: string) =>
      ask(
        dev,
        dlt645.buildRelayControl('000000000171', {
          action: 'trip',
          validUntil: '2026-03-10 13:00:00',
          password,
        }),
      );
    const refused = trip('02000000');
    expect([refused?.control, refused?.errorCode]).toEqual(['DC', 0x04]);
    expect(meter.relay.state).toBe('closed');
    expect(trip('02123456')?.control).toBe('9C');
    expect(meter.relay.state).toBe('tripped');
    const write = (password: string) =>
      ask(dev, dlt645.buildWriteRequest('000000000171', '04001005', 12.34, { password }));
    expect([write('02000000')?.control, write('02000000')?.errorCode]).toEqual(['D4', 0x04]);
    expect(meter.prepaid.closePermit).toBe(0);
    expect(write('02123456')?.control).toBe('94');
    expect(meter.prepaid.closePermit).toBe(12.34);
  });

  it('stores and reports the five prepaid limits, keep-power in D12 and alarm in D7', () => {
    const { meter, dev } = setup();
    const values = {
      '04001001': 50,
      '04001002': 20.01,
      '04001003': 10,
      '04001004': 999999.99,
      '04001005': 1,
    };
    for (const [di, v] of Object.entries(values)) {
      expect(ask(dev, dlt645.buildWriteRequest('000000000161', di, v))?.control).toBe('94');
      expect(ask(dev, dlt645.buildReadRequest('000000000161', di))?.value).toBe(v);
    }
    expect(meter.prepaid).toMatchObject({ hoardingLimit: 999999.99, closePermit: 1 });
    const control = (action: dlt645.RelayAction) =>
      ask(dev, dlt645.buildRelayControl('000000000161', { action, validUntil: '2026-03-10 13:00:00' }));
    control('keep-power');
    control('alarm');
    expect(ask(dev, dlt645.buildReadRequest('000000000161', '04000503'))?.value).toBe('1080');
    control('keep-power-clear');
    control('alarm-clear');
    expect(ask(dev, dlt645.buildReadRequest('000000000161', '04000503'))?.value).toBe('0000');
  });

  it('takes the broadcast time: the meter clock follows, the true clock does not', () => {
    const { clock, meter, dev } = setup();
    expect(dev.handle(dlt645.buildBroadcastTimeSync('2026-03-10 14:30:00'))).toBeNull();
    expect(meter.clockOffsetMs).toBe(2.5 * HOUR);
    expect(ask(dev, dlt645.buildReadRequest('000000000161', '04000102'))?.value).toBe('14:30:00');
    expect(clock.now()).toBe(fromWallTime({ year: 2026, month: 3, day: 10, hour: 12 }));
    // a meter that corrects only 5 minutes by broadcast ignores a larger step
    const strict = new Dlt645Device(
      new ElectricityMeter({ address: '000000000181', clock, broadcastWindowMs: 5 * 60_000 }),
    );
    strict.handle(dlt645.buildBroadcastTimeSync('2026-03-10 12:04:00'));
    expect(strict.meter.clockOffsetMs).toBe(4 * 60_000);
    strict.handle(dlt645.buildBroadcastTimeSync('2026-03-10 14:30:00'));
    expect(strict.meter.clockOffsetMs).toBe(4 * 60_000);
  });
});

import { describe, expect, it } from 'vitest';
import * as cjt188 from '../../../protocols/src/cjt188/index.ts';
import { ManualClock } from '../time/clock.ts';
import { fromWallTime } from '../time/wall-time.ts';
import { Cjt188Device } from './cjt188-device.ts';
import { CJT188_TYPES, Cjt188Meter } from './cjt188-meter.ts';
import { constantProfile } from './load-profile.ts';

const clock = new ManualClock(fromWallTime({ year: 2026, month: 2, day: 10, hour: 8 }));

function device(type: number = CJT188_TYPES.coldWater, address = '00000805000001') {
  return new Cjt188Device(
    new Cjt188Meter({ type, address, clock, flow: constantProfile(0.2), initialVolume: 123 }),
  );
}

describe('Cjt188Device', () => {
  it('answers 901F with the model values, in the request DI order', () => {
    const d = device();
    for (const diOrder of ['standard', 'swapped'] as const) {
      const reply = d.handle(cjt188.buildReadData(0x10, '00000805000001', '901F', 7, { diOrder }));
      const f = cjt188.decode(reply as Uint8Array);
      expect(f.control).toBe('81');
      expect(f.ser).toBe(7);
      expect(f.diOrder).toBe(diOrder);
      expect(f.data.current_cumulative).toBe(123);
      expect(f.data.realtime).toBe('2026-02-10T08:00:00');
      expect((f.data.status as { valve: string }).valve).toBe('open');
    }
  });

  it('stays silent for another address or type, answers the AA wildcard', () => {
    const d = device();
    expect(d.handle(cjt188.buildReadData(0x10, '00000805000002', '901F', 1))).toBeNull();
    expect(d.handle(cjt188.buildReadData(0x30, '00000805000001', '901F', 1))).toBeNull();
    const r = d.handle(cjt188.buildReadAddress());
    expect(cjt188.decode(r as Uint8Array).address).toBe('00000805000001');
  });

  it('closes the valve and reports it; unknown DIs get an abnormal reply', () => {
    const d = device(CJT188_TYPES.gas, '00000000000042');
    const r = cjt188.decode(
      d.handle(cjt188.buildValveControl(0x30, '00000000000042', 'close', 3)) as Uint8Array,
    );
    expect(r.control).toBe('84');
    expect((r.data.status as { valve: string }).valve).toBe('closed');
    expect(d.meter.valve).toBe('closed');
    const bad = cjt188.decode(
      d.handle(cjt188.buildReadData(0x30, '00000000000042', '8102', 4)) as Uint8Array,
    );
    expect(bad.error).toBe(true);
  });

  it('heat meters answer the heat body', () => {
    const d = device(CJT188_TYPES.heat, '00000000000077');
    clock.advance(3_600_000);
    const f = cjt188.decode(d.handle(cjt188.buildReadData(0x20, '00000000000077', '901F', 9)) as Uint8Array);
    expect(f.length).toBe(0x2e);
    expect(f.data.current_cumulative).toBe(d.meter.snapshot().volume);
    expect(f.data.supply_temp_C).toBe(60);
  });

  it('writes its clock from A015 and reports the new time in 901F', () => {
    const d = device(CJT188_TYPES.coldWater, '00000000000088');
    const req = cjt188.buildWriteData(0x10, '00000000000088', 'A015', 5, { realtime: '2026-02-10T09:15:30' });
    const r = cjt188.decode(d.handle(req) as Uint8Array);
    expect([r.control, r.di, r.ser]).toEqual(['84', 'A015', 5]);
    expect(d.meter.meterNow()).toBe(
      fromWallTime({ year: 2026, month: 2, day: 10, hour: 9, minute: 15, second: 30 }),
    );
    const f = cjt188.decode(d.handle(cjt188.buildReadData(0x10, '00000000000088', '901F', 6)) as Uint8Array);
    expect(f.data.realtime).toBe('2026-02-10T09:15:30');
    const bad = cjt188.buildWriteData(0x10, '00000000000088', 'A015', 7, { realtime: '2026-13-10T09:15:30' });
    expect(cjt188.decode(d.handle(bad) as Uint8Array).error).toBe(true);
  });
});

import { Cjt188Device } from '../meters/cjt188-device.ts';
import { CJT188_TYPES, Cjt188Meter } from '../meters/cjt188-meter.ts';
import { Dlt645Device } from '../meters/dlt645-device.ts';
import { ElectricityMeter } from '../meters/electricity-meter.ts';
import { householdProfile } from '../meters/load-profile.ts';
import { MbusDevice } from '../meters/mbus-device.ts';
import { MBUS_MEDIA, MbusMeter } from '../meters/mbus-meter.ts';
import type { Clock } from '../time/clock.ts';
import type { Rs485Bus } from './rs485-bus.ts';

export interface PopulateOptions {
  clock: Clock;
  dlt645?: number;
  /** how many of the DL/T 645 meters speak the 1997 edition (the last ones) */
  dlt645Of1997?: number;
  cjt188?: number;
  mbus?: number;
}

export interface Population {
  dlt645: Dlt645Device[];
  cjt188: Cjt188Device[];
  mbus: MbusDevice[];
}

const CJT_CYCLE = [CJT188_TYPES.coldWater, CJT188_TYPES.gas, CJT188_TYPES.heat] as const;

/** Address of the n-th (1-based) simulated meter of each protocol. */
export const simAddress = {
  dlt645: (n: number): string => String(n).padStart(12, '0'),
  cjt188: (n: number): string => String(n).padStart(14, '0'),
  mbusId: (n: number): string => String(10_000_000 + n),
};

/**
 * Puts meters on a bus with predictable addresses (1, 2, 3 … zero-padded), a spread of reply
 * delays and a spread of starting readings, so a master can be pointed at them without a list.
 */
export function populateBus(bus: Rs485Bus, o: PopulateOptions): Population {
  const out: Population = { dlt645: [], cjt188: [], mbus: [] };
  const n645 = o.dlt645 ?? 0;
  const old = Math.min(o.dlt645Of1997 ?? 0, n645);
  for (let i = 1; i <= n645; i++) {
    const meter = new ElectricityMeter({
      address: simAddress.dlt645(i),
      variant: i > n645 - old ? '1997' : '2007',
      clock: o.clock,
      load: householdProfile(1 + (i % 4)),
      initialEnergy: 1000 + i * 37.5,
    });
    out.dlt645.push(new Dlt645Device(meter, 20 + (i % 5) * 10));
  }
  for (let i = 1; i <= (o.cjt188 ?? 0); i++) {
    const type = CJT_CYCLE[(i - 1) % CJT_CYCLE.length];
    const meter = new Cjt188Meter({
      type,
      address: simAddress.cjt188(i),
      clock: o.clock,
      initialVolume: 100 + i * 3.25,
    });
    out.cjt188.push(new Cjt188Device(meter, 30 + (i % 4) * 10));
  }
  for (let i = 1; i <= (o.mbus ?? 0); i++) {
    const medium = i % 2 === 0 ? MBUS_MEDIA.heat : MBUS_MEDIA.water;
    const meter = new MbusMeter({
      primary: i,
      id: simAddress.mbusId(i),
      medium,
      clock: o.clock,
      initialVolume: 20 + i,
      initialHeat: 500 + i * 10,
    });
    out.mbus.push(new MbusDevice(meter, 15 + (i % 3) * 10));
  }
  for (const d of [...out.dlt645, ...out.cjt188, ...out.mbus]) bus.addDevice(d);
  return out;
}

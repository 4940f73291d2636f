/** Test support: simulated meters with a clock that has run for 40 days up to now. */
import {
  CJT188_TYPES,
  Cjt188Device,
  Cjt188Meter,
  Dlt645Device,
  ElectricityMeter,
  householdProfile,
  ManualClock,
} from '@quadmeter/simulators';

const DAY = 86_400_000;

/** A clock 40 days back; `catchUp()` moves it to now, so the meters froze every day and month. */
export function pastClock(): ManualClock & { catchUp(): void } {
  const c = new ManualClock(Date.now() - 40 * DAY) as ManualClock & { catchUp(): void };
  c.catchUp = () => c.set(Date.now());
  return c;
}

export function power(
  clock: ManualClock,
  address: string,
  o: {
    variant?: '1997' | '2007';
    energy?: number;
    latencyMs?: number;
    password?: string;
    broadcastWindowMs?: number;
  } = {},
): Dlt645Device {
  const meter = new ElectricityMeter({
    address,
    clock,
    variant: o.variant ?? '2007',
    load: householdProfile(2),
    initialEnergy: o.energy ?? 1000,
    password: o.password,
    broadcastWindowMs: o.broadcastWindowMs,
  });
  return new Dlt645Device(meter, o.latencyMs ?? 30);
}

export function water(
  clock: ManualClock,
  address: string,
  type: number = CJT188_TYPES.coldWater,
): Cjt188Device {
  return new Cjt188Device(new Cjt188Meter({ type, address, clock, initialVolume: 123.45 }), 30);
}

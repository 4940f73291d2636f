import { Cjt188Device } from '../meters/cjt188-device.ts';
import { CJT188_TYPES, Cjt188Meter } from '../meters/cjt188-meter.ts';
import { constantProfile } from '../meters/load-profile.ts';
import type { Clock } from '../time/clock.ts';
import type { MeterTable } from './meter-table.ts';

export interface WaterMeterOptions {
  clock: Clock;
  /** terminal port the meters hang on (AFN 10 F1 forwards to them there) */
  port: number;
  count: number;
  /** leading digits of the addresses: meter i (1-based) is `base × 1 000 000 + i`, 14 digits */
  addressBase: number;
  /** CJ/T 188 meter type byte, cold water by default */
  type?: number;
  /** the meter's reply latency, ms */
  latencyMs?: number;
}

/** The 14-digit CJ/T 188 address `attachWaterMeters` gives meter `i` (1-based). */
export const waterAddress = (addressBase: number, i: number): string =>
  String(addressBase * 1_000_000 + i)
    .padStart(14, '0')
    .slice(-14);

/**
 * Hangs `count` CJ/T 188 water meters with valves on one terminal port, as an M-Bus or RS-485
 * branch of water meters behind a concentrator: the terminal reads nothing from them itself and
 * reaches them by transparent forwarding (AFN 10 F1) on that port. Valves start open.
 */
export function attachWaterMeters(table: MeterTable, o: WaterMeterOptions): Cjt188Device[] {
  const out: Cjt188Device[] = [];
  for (let i = 1; i <= o.count; i++) {
    const meter = new Cjt188Meter({
      type: o.type ?? CJT188_TYPES.coldWater,
      address: waterAddress(o.addressBase, i),
      clock: o.clock,
      flow: constantProfile(0.02 + (i % 5) * 0.01),
      initialVolume: 100 + i * 1.5,
    });
    const device = new Cjt188Device(meter, o.latencyMs);
    table.attachOnPort(o.port, device);
    out.push(device);
  }
  return out;
}

import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import type { RawReading } from '@quadmeter/sdk';
import {
  decimalString,
  monthsBetween,
  startOf,
  TransportError,
  today,
  wallToIso,
} from '@quadmeter/sdk/serial';
import { cjtTransact, statusWord, wireOptions } from './cjt188-wire.ts';
import { type MeterCall, makeReading } from './reading.ts';

/** A measure in its base unit (m3, kWh, kW, m3/h), converting the larger units meters use. */
function measure(data: Record<string, unknown>, key: string, base: string, decimals = 2): string | null {
  const v = data[key];
  const unit = (data[`${key}_unit`] as string | undefined) ?? base;
  const factor: Record<string, number> = { MWh: 1000, GWh: 1_000_000, MW: 1000, GJ: 1 / 0.0036 };
  if (typeof v !== 'number') return null;
  if (unit === base) return decimalString(v, decimals);
  const f = factor[unit];
  return f ? decimalString(v * f, decimals) : null;
}

/**
 * The energy register of a heat-family meter: a cooling meter (type 0x21) counts cooling energy,
 * keyed as the cooling meter type declares it (examples/meter-cooling); the others heat energy.
 */
const energyKey = (meterType: number) => (meterType === 0x21 ? 'coolingEnergy' : 'heatEnergy');

/** Registers of a 901F reply, keyed as the water, gas, heat and cooling meter types declare them. */
function currentRegisters(meterType: number, d: Record<string, unknown>): Record<string, string | null> {
  const family = cjt188.meterFamily(meterType);
  const valve = (d.status as { valve?: string } | undefined)?.valve;
  const state: Record<string, string> = valve === 'open' || valve === 'closed' ? { valve } : {};
  // the heat meter type declares no valve register: its state would be rejected as a number
  if (family === 'heat') {
    const supply = d.supply_temp_C;
    const ret = d.return_temp_C;
    return {
      [energyKey(meterType)]: measure(d, 'current_heat', 'kWh'),
      volume: measure(d, 'current_cumulative', 'm3'),
      power: measure(d, 'heat_power', 'kW'),
      flowRate: measure(d, 'flow_rate', 'm3/h', 4),
      supplyTemperature: decimalString(supply, 2),
      returnTemperature: decimalString(ret, 2),
      operatingHours: decimalString(d.working_hours, 0),
    };
  }
  const key = family === 'gas' ? 'workingVolume' : 'totalVolume';
  return { [key]: measure(d, 'current_cumulative', 'm3'), ...state };
}

/** CJ/T 188: current data (901F), or a month's settlement-day value (D120 = last month …). */
export async function readCjt188(c: MeterCall): Promise<RawReading> {
  const address = c.target.ref.address;
  const { meterType, profile } = wireOptions(c);
  const off = c.config.utcOffsetMinutes;
  if (c.kind === 'daily')
    throw new TransportError('KIND_UNSUPPORTED', 'CJ/T 188-2004 defines no daily frozen data');
  if (c.kind === 'monthly') {
    const month = c.frozenFor as string;
    const n = monthsBetween(month, today(c.now, off).month) + 1;
    if (n < 1 || n > 12)
      throw new TransportError('FROZEN_NOT_FOUND', `settlement ${month} is not among the last 12`);
    const di = `D12${(n - 1).toString(16).toUpperCase()}`;
    const f = await cjtTransact(c, di, 21, (ser) =>
      cjt188.buildReadData(meterType, address, di, ser, profile),
    );
    const family = cjt188.meterFamily(f.meterType);
    const registers =
      family === 'heat'
        ? { [energyKey(f.meterType)]: measure(f.data, 'settlement_heat', 'kWh') }
        : {
            [family === 'gas' ? 'workingVolume' : 'totalVolume']: measure(
              f.data,
              'settlement_cumulative',
              'm3',
            ),
          };
    return makeReading(c, { protocol: 'cjt188', measuredAt: startOf(month, off), registers });
  }
  const f = await cjtTransact(c, '901F', 59, (ser) =>
    cjt188.buildReadData(meterType, address, '901F', ser, profile),
  );
  const word = statusWord(f.data);
  return makeReading(c, {
    protocol: 'cjt188',
    measuredAt: wallToIso(f.data.realtime, off) ?? new Date(c.now).toISOString(),
    registers: currentRegisters(f.meterType, f.data),
    ...(word !== undefined ? { status: { word, protocol: 'cjt188' } } : {}),
  });
}

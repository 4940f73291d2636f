import type { DeviceDecode } from './types.ts';

/**
 * What a self-reporting meter's frame says, in the register keys of the meter types: water
 * (`totalVolume`, `valve`), gas (`standardVolume`, `valve`), heat (`heatEnergy`, `volume`,
 * `flowRate`, `supplyTemperature`, `returnTemperature`, `temperatureDifference`, `power`,
 * `operatingHours`) from a CJ/T 188 901F reply, and power (`activeImportTotal`,
 * `activeImportT1..T4`) from a DL/T 645-2007 0001FF00 / 00010000 reply. Values are decimal
 * strings (null: the meter sent no value); the status word is CJ/T 188 ST1 | ST2 << 8.
 */
export interface FrameRegisters {
  /** codec name as meters record it: 'cjt188' or 'dlt645-2007' */
  protocol: 'cjt188' | 'dlt645-2007';
  /** the meter's address in the frame */
  address: string;
  registers: Record<string, string | null>;
  status?: { word: number; protocol: string };
  /** the meter clock (local wall time, no zone) when the frame carries one */
  meterTime?: string;
}

/** A number as the decimal string readings carry (≤ 6 decimals), or null. */
export function decimalOf(v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return null;
  const s = Number(v.toFixed(6)).toString();
  return /e/i.test(s) ? null : s;
}

type Data = Record<string, unknown>;

function cjt188Registers(meterType: number, d: Data): Record<string, string | null> | undefined {
  const family = meterType >> 4;
  const valve = (d.status as { valve?: string } | undefined)?.valve;
  const valveReg = valve === 'open' || valve === 'closed' || valve === 'abnormal' ? valve : null;
  if (family === 1)
    return { totalVolume: decimalOf(d.current_cumulative_m3 ?? d.current_cumulative), valve: valveReg };
  if (family === 3)
    return { standardVolume: decimalOf(d.current_cumulative_m3 ?? d.current_cumulative), valve: valveReg };
  if (family === 2) {
    const supply = d.supply_temp_C;
    const ret = d.return_temp_C;
    const diff =
      typeof supply === 'number' && typeof ret === 'number' ? Number((supply - ret).toFixed(2)) : null;
    return {
      heatEnergy: decimalOf(d.current_heat_kWh ?? d.current_heat),
      volume: decimalOf(d.current_cumulative_m3 ?? d.current_cumulative),
      flowRate: decimalOf(d.flow_rate_m3h ?? d.flow_rate),
      supplyTemperature: decimalOf(supply),
      returnTemperature: decimalOf(ret),
      temperatureDifference: diff === null || diff < 0 ? null : decimalOf(diff),
      power: decimalOf(d.heat_power_kW ?? d.heat_power),
      operatingHours: decimalOf(d.working_hours),
    };
  }
  return undefined;
}

/**
 * The registers of a decoded uplink frame, or undefined when the frame is not a meter's report
 * of its main data (an error reply, another data identifier, an unknown meter type).
 */
export function frameRegisters(decoded: DeviceDecode): FrameRegisters | undefined {
  if (decoded.protocol === 'cjt188') {
    const f = decoded.frame as { meterType: number; address: string; error: boolean; di: string; data: Data };
    if (f.error || f.di !== '901F') return undefined;
    const registers = cjt188Registers(f.meterType, f.data);
    if (!registers) return undefined;
    const st = f.data.status as { raw?: string } | undefined;
    const out: FrameRegisters = { protocol: 'cjt188', address: f.address, registers };
    if (st?.raw && /^[0-9A-Fa-f]{4}$/.test(st.raw)) {
      const word = Number.parseInt(st.raw.slice(0, 2), 16) | (Number.parseInt(st.raw.slice(2), 16) << 8);
      out.status = { word, protocol: 'cjt188' };
    }
    if (typeof f.data.realtime === 'string') out.meterTime = f.data.realtime;
    return out;
  }
  if (decoded.protocol === 'dlt645') {
    const f = decoded.frame as {
      version?: string;
      address: string;
      error: boolean;
      di?: string;
      values?: Record<string, unknown>;
      value?: unknown;
    };
    if (f.error || f.version !== '2007') return undefined;
    if (f.di === '0001FF00' && f.values) {
      const registers: Record<string, string | null> = { activeImportTotal: decimalOf(f.values.total) };
      for (const t of ['T1', 'T2', 'T3', 'T4'])
        if (t in f.values) registers[`activeImport${t}`] = decimalOf(f.values[t]);
      return { protocol: 'dlt645-2007', address: f.address, registers };
    }
    if (f.di === '00010000')
      return {
        protocol: 'dlt645-2007',
        address: f.address,
        registers: { activeImportTotal: decimalOf(f.value ?? f.values?.total) },
      };
  }
  return undefined;
}

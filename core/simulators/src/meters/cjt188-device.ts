import * as cjt188 from '../../../protocols/src/cjt188/index.ts';
import type { FrameExtractor } from '../../../protocols/src/common/extractor.ts';
import type { BusDevice } from '../bus/bus-device.ts';
import { fromWallTime, toWallTime } from '../time/wall-time.ts';
import type { Cjt188Meter } from './cjt188-meter.ts';

const p2 = (n: number): string => String(n).padStart(2, '0');

/** True when the request's address is ours, byte by byte, with AA as a per-byte wildcard. */
export function cjt188AddressMatches(requested: string, own: string): boolean {
  if (requested.length !== own.length) return false;
  for (let i = 0; i < requested.length; i += 2) {
    const r = requested.slice(i, i + 2).toUpperCase();
    if (r !== 'AA' && r !== own.slice(i, i + 2)) return false;
  }
  return true;
}

/**
 * A CJ/T 188 meter on the bus: answers 901F (current data), D120..D12B (settlement history),
 * 810A (read address), A017 (valve control) and A015 (write standard time) addressed to it (AA bytes match anything), and
 * gives an abnormal reply for identifiers it does not have. The reply uses the DI byte order of
 * the request, as meters of both camps do.
 */
export class Cjt188Device implements BusDevice {
  readonly protocol = 'cjt188';
  readonly meter: Cjt188Meter;
  readonly latencyMs: number;

  constructor(meter: Cjt188Meter, latencyMs = 30) {
    this.meter = meter;
    this.latencyMs = latencyMs;
  }

  get label(): string {
    return `cjt188 T=${this.meter.type.toString(16).toUpperCase()} ${this.meter.address}`;
  }

  createExtractor(): FrameExtractor {
    return cjt188.extractor();
  }

  handle(bytes: Uint8Array): Uint8Array | null {
    const f = cjt188.decode(bytes);
    const m = this.meter;
    if (f.direction !== 'master->slave') return null;
    if (f.meterType !== m.type && f.meterType !== cjt188.ANY_METER_TYPE) return null;
    if (!cjt188AddressMatches(f.address, m.address)) return null;
    const profile = { diOrder: f.diOrder };
    const control = Number.parseInt(f.control, 16);
    const status = { valve: m.valve, battery: m.batteryLow ? 'low' : 'normal' } as const;
    m.advance();
    if (control === 0x03 && f.di === '810A')
      return cjt188.buildReadAddressReply(m.type, m.address, f.ser, profile);
    if (control === 0x01 && f.di === '901F') {
      return cjt188.buildReadDataReply(m.type, m.address, '901F', f.ser, this.currentBody(), profile);
    }
    const hist = /^D12([0-9AB])$/.exec(f.di);
    if (control === 0x01 && hist) {
      const s = m.history.last(Number.parseInt(hist[1], 16) + 1);
      if (s) {
        const body = m.isHeat
          ? { settlement_heat: s.heat, settlement_heat_unit: 'kWh' }
          : { settlement_cumulative: s.volume };
        return cjt188.buildReadDataReply(m.type, m.address, f.di, f.ser, body, profile);
      }
    }
    if (control === 0x04 && f.di === 'A017') {
      const cmd = f.data.valve_cmd;
      if (cmd === 'open' || cmd === 'close') {
        m.setValve(cmd === 'open');
        return cjt188.buildValveControlReply(
          m.type,
          m.address,
          f.ser,
          { valve: m.valve, battery: status.battery },
          profile,
        );
      }
    }
    if (control === 0x04 && f.di === 'A015' && this.setTime(f.data.realtime)) {
      return cjt188.buildWriteDataReply(m.type, m.address, 'A015', f.ser, {}, profile);
    }
    return cjt188.buildAbnormalReply(m.type, m.address, control, f.di, f.ser, status, profile);
  }

  /** 'YYYY-MM-DDThh:mm:ss' meter wall time → the meter clock; false when it is no time. */
  private setTime(text: unknown): boolean {
    const t = typeof text === 'string' ? /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)$/.exec(text) : null;
    if (!t) return false;
    const [year, month, day, hour, minute, second] = t.slice(1).map(Number);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
      return false;
    this.meter.setMeterTime(
      fromWallTime({ year, month, day, hour, minute, second }, this.meter.utcOffsetMin),
    );
    return true;
  }

  private realtime(): string {
    const w = toWallTime(this.meter.meterNow(), this.meter.utcOffsetMin);
    return `${w.year}-${p2(w.month)}-${p2(w.day)}T${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
  }

  /** 901F body as the codec's decode gives it. */
  currentBody(): Record<string, unknown> {
    const m = this.meter;
    const s = m.snapshot();
    const status = { valve: m.valve, battery: m.batteryLow ? 'low' : 'normal' };
    if (!m.isHeat) {
      return {
        current_cumulative: s.volume,
        current_cumulative_unit: 'm3',
        settlement_cumulative: m.settlementValue.volume,
        settlement_cumulative_unit: 'm3',
        realtime: this.realtime(),
        status,
      };
    }
    return {
      settlement_heat: m.settlementValue.heat,
      current_heat: s.heat,
      heat_power: m.body.power,
      flow_rate: Math.round(m.flowRate() * 10_000) / 10_000,
      current_cumulative: s.volume,
      supply_temp_C: m.body.supplyTemp,
      return_temp_C: m.body.returnTemp,
      working_hours: Math.floor(m.body.workingHours),
      realtime: this.realtime(),
      status,
    };
  }
}

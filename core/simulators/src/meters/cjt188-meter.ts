import type { Clock } from '../time/clock.ts';
import { DEFAULT_UTC_OFFSET_MIN, fromWallTime, toWallTime } from '../time/wall-time.ts';
import { HistoryStore } from './history-store.ts';
import { constantProfile, type LoadProfile } from './load-profile.ts';

/** CJ/T 188 meter type byte T. */
export const CJT188_TYPES = {
  coldWater: 0x10,
  hotWater: 0x11,
  drinkingWater: 0x12,
  reclaimedWater: 0x13,
  heat: 0x20,
  cooling: 0x21,
  gas: 0x30,
} as const;

export interface FlowSnapshot {
  at: number;
  /** cumulative volume, m³ */
  volume: number;
  /** cumulative heat, kWh (heat meters) */
  heat: number;
}

export interface HeatBody {
  /** kW */
  power: number;
  /** °C */
  supplyTemp: number;
  returnTemp: number;
  /** hours in operation */
  workingHours: number;
}

export interface Cjt188MeterOptions {
  /** meter type byte (0x10 water, 0x20 heat, 0x30 gas …) */
  type: number;
  /** 14-digit address (display order) */
  address: string;
  clock: Clock;
  /** flow in m³/h */
  flow?: LoadProfile;
  initialVolume?: number;
  initialHeat?: number;
  /** day of month the settlement value is taken (00:00) */
  settlementDay?: number;
  utcOffsetMin?: number;
  supplyTemp?: number;
  returnTemp?: number;
  stepMs?: number;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
/** water heat capacity ≈ 1.163 kWh per m³ and kelvin */
const KWH_PER_M3_K = 1.163;

/**
 * State of a CJ/T 188 water, gas or heat meter: cumulative flow (and heat) advance with the flow
 * profile, the settlement-day value is taken on the settlement day, 12 months of history are kept,
 * the valve can be opened or closed and the battery can run low.
 */
export class Cjt188Meter {
  readonly type: number;
  readonly address: string;
  readonly clock: Clock;
  readonly utcOffsetMin: number;
  readonly settlementDay: number;
  readonly history = new HistoryStore<FlowSnapshot>(12);
  volume: number;
  heat: number;
  valve: 'open' | 'closed' | 'abnormal' = 'open';
  batteryLow = false;
  /** meter clock error against the true clock, ms (set by a time write) */
  clockOffsetMs = 0;
  settlementValue: FlowSnapshot;
  readonly body: HeatBody;
  private lastTick: number;
  private readonly flow: LoadProfile;
  private readonly stepMs: number;

  constructor(o: Cjt188MeterOptions) {
    if (!/^\d{14}$/.test(o.address))
      throw new Error(`CJ/T 188 address must be 14 digits, got "${o.address}"`);
    this.type = o.type;
    this.address = o.address;
    this.clock = o.clock;
    this.utcOffsetMin = o.utcOffsetMin ?? DEFAULT_UTC_OFFSET_MIN;
    this.settlementDay = o.settlementDay ?? 1;
    this.flow = o.flow ?? constantProfile(0.05);
    this.stepMs = o.stepMs ?? 15 * 60_000;
    this.volume = o.initialVolume ?? 0;
    this.heat = o.initialHeat ?? 0;
    this.body = { power: 0, supplyTemp: o.supplyTemp ?? 60, returnTemp: o.returnTemp ?? 45, workingHours: 0 };
    this.lastTick = o.clock.now();
    this.settlementValue = this.snapshot(this.lastTick);
  }

  get isHeat(): boolean {
    return this.type === CJT188_TYPES.heat || this.type === CJT188_TYPES.cooling;
  }

  /** Current flow rate, m³/h (zero with the valve closed). */
  flowRate(at = this.clock.now()): number {
    return this.valve === 'open' ? this.flow(at) : 0;
  }

  advance(): void {
    const now = this.clock.now();
    while (this.lastTick < now) {
      const boundary = this.nextSettlement(this.lastTick);
      const end = Math.min(now, this.lastTick + this.stepMs, boundary);
      const hours = (end - this.lastTick) / 3_600_000;
      const q = this.flowRate(this.lastTick);
      this.volume += q * hours;
      if (this.isHeat) this.heat += q * hours * KWH_PER_M3_K * (this.body.supplyTemp - this.body.returnTemp);
      this.body.workingHours += hours;
      this.lastTick = end;
      if (end === boundary) {
        this.settlementValue = this.snapshot(end);
        this.history.push(this.settlementValue);
      }
    }
    this.body.power = round2(this.flowRate() * KWH_PER_M3_K * (this.body.supplyTemp - this.body.returnTemp));
  }

  private nextSettlement(after: number): number {
    const w = toWallTime(after, this.utcOffsetMin);
    for (let m = 0; m < 3; m++) {
      const t = fromWallTime(
        { year: w.year, month: w.month + m, day: this.settlementDay },
        this.utcOffsetMin,
      );
      if (t > after) return t;
    }
    return Number.POSITIVE_INFINITY;
  }

  snapshot(at = this.clock.now()): FlowSnapshot {
    return { at, volume: round2(this.volume), heat: round2(this.heat) };
  }

  /** The meter's own idea of now (true time plus its clock error). */
  meterNow(): number {
    return this.clock.now() + this.clockOffsetMs;
  }

  /** Sets the meter clock (write standard time, DI A015). */
  setMeterTime(ms: number): void {
    this.clockOffsetMs = ms - this.clock.now();
  }

  /** Valve control (DI A017): 0x55 open, 0x99 close. */
  setValve(open: boolean): void {
    this.advance();
    this.valve = open ? 'open' : 'closed';
  }

  /** ST byte 1: D1D0 valve (00 open, 01 closed, 11 abnormal), D2 battery low. */
  statusByte(): number {
    const v = this.valve === 'open' ? 0 : this.valve === 'closed' ? 1 : 3;
    return v | (this.batteryLow ? 0x04 : 0);
  }
}

import type { Clock } from '../time/clock.ts';
import { DEFAULT_UTC_OFFSET_MIN, fromWallTime, toWallTime } from '../time/wall-time.ts';
import type {
  DltVariant,
  ElectricityEvents,
  EnergyRegisters,
  EnergySnapshot,
  FreezePattern,
  Instantaneous,
  MeterRefusal,
  PrepaidParams,
  RelayCommand,
  RelayStatus,
} from './electricity-types.ts';
import { DEFAULT_PREPAID } from './electricity-types.ts';
import { HistoryStore } from './history-store.ts';
import { phaseValues } from './instantaneous.ts';
import { constantProfile, type LoadProfile } from './load-profile.ts';
import { DEFAULT_TARIFF_SCHEDULE, type TariffSchedule, tariffAt } from './tariff-schedule.ts';

export interface ElectricityMeterOptions {
  /** 12-digit communication address */
  address: string;
  variant?: DltVariant;
  clock: Clock;
  /** import demand, kW */
  load?: LoadProfile;
  /** export (generation) demand, kW */
  generation?: LoadProfile;
  tariffs?: TariffSchedule;
  /** starting positive active total, split evenly over T1..T4 */
  initialEnergy?: number;
  utcOffsetMin?: number;
  prepaid?: Partial<PrepaidParams>;
  /**
   * PA + P2P1P0 (8 hex digits) that relay control and parameter writes must carry; any password
   * is taken when absent.
   */
  password?: string;
  /** largest clock error a broadcast time corrects, ms (State Grid meters: 5 min); any when absent */
  broadcastWindowMs?: number;
  /** longest integration step, ms (default 15 min) */
  stepMs?: number;
}

const DAY_MS = 86_400_000;
const round2 = (v: number): number => Math.round(v * 100) / 100;

/**
 * State of one DL/T 645 electricity meter: energy registers advance with the load profile as the
 * injected clock moves, daily and settlement freezes happen at their wall-clock times, the relay
 * follows control commands and prepaid credit.
 */
export class ElectricityMeter {
  readonly address: string;
  readonly variant: DltVariant;
  readonly clock: Clock;
  readonly utcOffsetMin: number;
  readonly positive: EnergyRegisters;
  readonly reverse: EnergyRegisters;
  readonly daily = new HistoryStore<EnergySnapshot>(31);
  readonly monthly = new HistoryStore<EnergySnapshot>(12);
  readonly instantFreezes = new HistoryStore<EnergySnapshot>(3);
  readonly relay: RelayStatus = { state: 'closed', alarm: false, keepPower: false };
  readonly prepaid: PrepaidParams;
  readonly events: ElectricityEvents;
  /** daily freeze time (hh:mm) and settlement day/hour, changed by the freeze command */
  dailyFreeze = { hour: 0, minute: 0 };
  settlement = { day: 1, hour: 0 };
  hourlyFreezeMinute = 0;
  /** meter clock error against the true clock, ms (set by time writes) */
  clockOffsetMs = 0;
  readonly broadcastWindowMs?: number;
  private lastTick: number;
  private readonly load: LoadProfile;
  private readonly generation: LoadProfile;
  private readonly tariffs: TariffSchedule;
  private readonly stepMs: number;
  private readonly password?: string;

  constructor(o: ElectricityMeterOptions) {
    if (!/^\d{12}$/.test(o.address)) throw new Error(`meter address must be 12 digits, got "${o.address}"`);
    this.address = o.address;
    this.variant = o.variant ?? '2007';
    this.clock = o.clock;
    this.utcOffsetMin = o.utcOffsetMin ?? DEFAULT_UTC_OFFSET_MIN;
    this.load = o.load ?? constantProfile(1);
    this.generation = o.generation ?? constantProfile(0);
    this.tariffs = o.tariffs ?? DEFAULT_TARIFF_SCHEDULE;
    this.stepMs = o.stepMs ?? 15 * 60_000;
    if (o.password !== undefined && !/^[0-9A-Fa-f]{8}$/.test(o.password))
      throw new Error(`meter password must be 8 hex digits, got "${o.password}"`);
    this.password = o.password?.toUpperCase();
    this.broadcastWindowMs = o.broadcastWindowMs;
    const e = round2((o.initialEnergy ?? 0) / 4);
    this.positive = [round2(e * 4), e, e, e, e];
    this.reverse = [0, 0, 0, 0, 0];
    this.prepaid = { ...DEFAULT_PREPAID, ...o.prepaid };
    this.events = {
      powerDownCount: 0,
      powerDowns: new HistoryStore(10),
      programmingCount: 0,
      programming: new HistoryStore(10),
      tripCount: 0,
      trips: new HistoryStore(10),
      closeCount: 0,
      closes: new HistoryStore(10),
    };
    this.lastTick = o.clock.now();
  }

  /** The meter's own idea of now (true time plus its clock error). */
  meterNow(): number {
    return this.clock.now() + this.clockOffsetMs;
  }

  /** Integrates energy up to the clock's now, freezing at every boundary crossed. */
  advance(): void {
    const now = this.clock.now();
    while (this.lastTick < now) {
      const boundary = Math.min(this.nextDailyFreeze(this.lastTick), this.nextSettlement(this.lastTick));
      const end = Math.min(now, this.lastTick + this.stepMs, boundary);
      this.integrate(this.lastTick, end);
      this.lastTick = end;
      if (end === boundary) this.freezeAt(end);
    }
  }

  private integrate(from: number, to: number): void {
    const hours = (to - from) / 3_600_000;
    const t = tariffAt(this.tariffs, from, this.utcOffsetMin);
    if (this.relay.state === 'closed') {
      const imp = this.load(from) * hours;
      const exp = this.generation(from) * hours;
      this.positive[0] += imp;
      this.positive[t] += imp;
      this.reverse[0] += exp;
      this.reverse[t] += exp;
      if (this.prepaid.price > 0) this.charge(imp * this.prepaid.price, to);
    }
  }

  private charge(amount: number, at: number): void {
    const p = this.prepaid;
    p.balance -= amount;
    if (p.balance < p.alarm1) this.relay.alarm = true;
    if (p.balance < -p.overdraftLimit && !this.relay.keepPower && this.relay.state === 'closed') {
      this.switchRelay('tripped', at, '00000000');
    }
  }

  private freezeAt(at: number): void {
    const w = toWallTime(at, this.utcOffsetMin);
    if (w.hour === this.dailyFreeze.hour && w.minute === this.dailyFreeze.minute)
      this.daily.push(this.snapshot(at));
    if (w.day === this.settlement.day && w.hour === this.settlement.hour && w.minute === 0) {
      this.monthly.push(this.snapshot(at));
    }
  }

  private nextDailyFreeze(after: number): number {
    const w = toWallTime(after, this.utcOffsetMin);
    const today = fromWallTime(
      { year: w.year, month: w.month, day: w.day, ...this.dailyFreeze },
      this.utcOffsetMin,
    );
    return today > after ? today : today + DAY_MS;
  }

  private nextSettlement(after: number): number {
    const w = toWallTime(after, this.utcOffsetMin);
    for (let m = 0; m < 3; m++) {
      const t = fromWallTime(
        { year: w.year, month: w.month + m, day: this.settlement.day, hour: this.settlement.hour },
        this.utcOffsetMin,
      );
      if (t > after) return t;
    }
    return Number.POSITIVE_INFINITY;
  }

  snapshot(at = this.clock.now()): EnergySnapshot {
    const r = (x: EnergyRegisters): EnergyRegisters => x.map(round2) as EnergyRegisters;
    return { at, positive: r(this.positive), reverse: r(this.reverse) };
  }

  /** Registers as the display (and the wire) shows them: 2 decimals. */
  registers(): { positive: EnergyRegisters; reverse: EnergyRegisters } {
    this.advance();
    const s = this.snapshot();
    return { positive: s.positive, reverse: s.reverse };
  }

  instantaneous(): Instantaneous {
    const now = this.clock.now();
    const on = this.relay.state === 'closed';
    return phaseValues(on ? this.load(now) - this.generation(now) : 0, on);
  }

  /** Freeze command (C=16). */
  freeze(pattern: FreezePattern): void {
    this.advance();
    switch (pattern.kind) {
      case 'instant':
        this.instantFreezes.push(this.snapshot());
        return;
      case 'daily':
        this.dailyFreeze = { hour: pattern.hour, minute: pattern.minute };
        return;
      case 'monthly':
        this.settlement = { day: pattern.day, hour: pattern.hour };
        return;
      case 'hourly':
        this.hourlyFreezeMinute = pattern.minute;
        return;
    }
  }

  /** True when `password` (PA + P2P1P0) opens this meter. */
  passwordOpens(password: unknown): boolean {
    return (
      this.password === undefined ||
      (typeof password === 'string' && password.toUpperCase() === this.password)
    );
  }

  /**
   * Relay / alarm / keep-power control (C=1C). `validUntil` is the command's expiry, epoch ms;
   * `password` is checked when the meter has one.
   */
  relayControl(
    cmd: RelayCommand,
    validUntil: number,
    operator = '00000000',
    password?: string,
  ): MeterRefusal | null {
    this.advance();
    if (!this.passwordOpens(password)) return 'unauthorized';
    const now = this.meterNow();
    if (validUntil < now) return 'expired';
    switch (cmd) {
      case 'trip':
        if (this.relay.keepPower) return 'keep-power';
        this.switchRelay('tripped', now, operator);
        return null;
      case 'close-allowed':
      case 'close':
        this.switchRelay('closed', now, operator);
        return null;
      case 'alarm':
        this.relay.alarm = true;
        return null;
      case 'alarm-clear':
        this.relay.alarm = false;
        return null;
      case 'keep-power':
        this.relay.keepPower = true;
        if (this.relay.state === 'tripped') this.switchRelay('closed', now, operator);
        return null;
      case 'keep-power-clear':
        this.relay.keepPower = false;
        return null;
    }
  }

  private switchRelay(state: 'closed' | 'tripped', at: number, operator: string): void {
    if (this.relay.state === state) return;
    this.relay.state = state;
    if (state === 'tripped') {
      this.events.tripCount++;
      this.events.trips.push({ at, operator });
    } else {
      this.events.closeCount++;
      this.events.closes.push({ at, operator });
    }
  }

  /**
   * Adds money (a prepaid purchase): refused (false) past the hoarding limit; closes the relay
   * again once the balance is positive and reaches the close-permit amount.
   */
  topUp(amount: number): boolean {
    this.advance();
    const p = this.prepaid;
    if (p.hoardingLimit > 0 && p.balance + amount > p.hoardingLimit) return false;
    p.balance += amount;
    if (p.balance >= p.alarm1) this.relay.alarm = false;
    if (p.balance > 0 && p.balance >= p.closePermit && this.relay.state === 'tripped')
      this.switchRelay('closed', this.meterNow(), '00000000');
    return true;
  }

  /** A parameter write (programming event), e.g. a time set. */
  recordProgramming(operator: string): void {
    this.events.programmingCount++;
    this.events.programming.push({ at: this.meterNow(), operator });
  }

  /** Sets the meter clock (broadcast time sync or a 04000101/04000102 write). */
  setMeterTime(ms: number): void {
    this.clockOffsetMs = ms - this.clock.now();
  }

  /** Records a supply outage between two instants (events 0311xxxx). */
  recordPowerDown(start: number, end: number): void {
    this.events.powerDownCount++;
    this.events.powerDowns.push({ at: start, end });
  }
}

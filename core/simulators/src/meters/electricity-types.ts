import type { HistoryStore } from './history-store.ts';

export type DltVariant = '2007' | '1997';

/** Energy registers: index 0 = total, 1..4 = tariffs T1..T4 (kWh). */
export type EnergyRegisters = [number, number, number, number, number];

export interface EnergySnapshot {
  /** epoch ms of the freeze instant */
  at: number;
  positive: EnergyRegisters;
  reverse: EnergyRegisters;
}

/** Relay control commands of DL/T 645-2007 C=1C, by their N1 code. */
export type RelayCommand =
  | 'trip'
  | 'close-allowed'
  | 'close'
  | 'alarm'
  | 'alarm-clear'
  | 'keep-power'
  | 'keep-power-clear';

export const RELAY_COMMAND_CODES: Readonly<Record<RelayCommand, number>> = {
  trip: 0x1a,
  'close-allowed': 0x1b,
  close: 0x1c,
  alarm: 0x2a,
  'alarm-clear': 0x2b,
  'keep-power': 0x3a,
  'keep-power-clear': 0x3b,
};

export interface RelayStatus {
  /** contact position */
  state: 'closed' | 'tripped';
  /** after "close allowed" the customer may switch on; the simulator closes at once */
  alarm: boolean;
  keepPower: boolean;
}

export interface PrepaidParams {
  /** remaining money, yuan; negative while overdrawn */
  balance: number;
  /** yuan per kWh */
  price: number;
  alarm1: number;
  alarm2: number;
  /** how far below zero the balance may go before the relay trips */
  overdraftLimit: number;
  /** most money the meter may hold; a top-up past it is refused (0: no limit) */
  hoardingLimit: number;
  /** balance a tripped meter needs before it closes again */
  closePermit: number;
}

/** A new meter's prepaid state: no money, alarms at 20 and 10 yuan, no other limits. */
export const DEFAULT_PREPAID: Readonly<PrepaidParams> = {
  balance: 0,
  price: 0,
  alarm1: 20,
  alarm2: 10,
  overdraftLimit: 0,
  hoardingLimit: 0,
  closePermit: 0,
};

export interface EventRecord {
  at: number;
  end?: number;
  /** 8-digit operator code where the event carries one */
  operator?: string;
}

export interface ElectricityEvents {
  powerDownCount: number;
  powerDowns: HistoryStore<EventRecord>;
  programmingCount: number;
  programming: HistoryStore<EventRecord>;
  tripCount: number;
  trips: HistoryStore<EventRecord>;
  closeCount: number;
  closes: HistoryStore<EventRecord>;
}

/** Freeze command patterns of C=16 (`99DDhhmm`, `9999hhmm`, `999999mm`, `99999999`). */
export type FreezePattern =
  | { kind: 'instant' }
  | { kind: 'daily'; hour: number; minute: number }
  | { kind: 'monthly'; day: number; hour: number; minute: number }
  | { kind: 'hourly'; minute: number };

/** Why the meter refused something; the responder maps it to the error word. */
export type MeterRefusal = 'expired' | 'keep-power' | 'unauthorized' | 'invalid';

export interface Instantaneous {
  voltage: [number, number, number];
  current: [number, number, number];
  /** total active power kW, positive = import */
  activePower: number;
  reactivePower: number;
  apparentPower: number;
  powerFactor: number;
  frequency: number;
}

import type { PluginHeader } from '../plugin/header.ts';
import type { LocalizedText } from '../plugin/localized.ts';
import type { AnomalyRule } from './anomaly-rule.ts';
import type { MeterReading } from './reading.ts';

export type Medium = 'water' | 'electricity' | 'gas' | 'heat';

/** cumulative: a counter that only grows (and may wrap); instant: a momentary value; state: a word */
export type RegisterKind = 'cumulative' | 'instant' | 'state';

export interface RegisterDef {
  /** camelCase key used in readings, e.g. 'totalVolume' */
  key: string;
  title: LocalizedText;
  /** unit of the stored value: 'm3', 'kWh', 'kvarh', 'V', 'A', 'kW', '°C', 'K', 'kPa', 'h', 'fen', '' */
  unit: string;
  /** digits after the decimal point the meter reports */
  decimals: number;
  /** largest value a cumulative counter shows before it wraps to zero */
  rolloverMax?: number;
  /** usage of this register can be billed */
  billable: boolean;
  kind: RegisterKind;
  /** allowed values of a state register */
  states?: readonly string[];
  /** physically plausible range of an instant register */
  min?: number;
  max?: number;
}

/** A field of the decoded status: a flag (boolean) or a state (one of `values`). */
export interface StatusFieldDef {
  key: string;
  title: LocalizedText;
  values?: readonly string[];
}

export type StatusFlags = Record<string, boolean | string>;

/** An alternative way to show a register, e.g. heat energy in GJ instead of kWh. */
export interface DisplayUnit {
  register: string;
  unit: string;
  title: LocalizedText;
  /** value in the display unit = stored value × factor */
  factor: number;
  decimals: number;
}

export type IssueSeverity = 'error' | 'warning' | 'info';

/** A finding about a reading: `error` rejects it, `warning` stores it flagged, `info` notes it. */
export interface ReadingIssue {
  /** stable upper-snake code, e.g. READING_BACKWARDS */
  code: string;
  severity: IssueSeverity;
  register?: string;
  message: string;
}

/** A meter swapped between two readings: the old meter's last reading and the new one's first. */
export interface MeterReplacement {
  oldFinal: MeterReading;
  newInitial: MeterReading;
}

export interface UsageOptions<S = unknown> {
  replacement?: MeterReplacement;
  settings?: S;
}

export interface ValidateOptions<S = unknown> {
  settings?: S;
}

export interface Usage {
  /** register key → consumption in the register's unit, never negative */
  registers: Record<string, number>;
  /** registers whose counter wrapped past `rolloverMax` */
  rolledOver: string[];
}

export interface MeterTypePlugin<C = unknown, S = unknown> extends PluginHeader<C, S> {
  kind: 'meter-type';
  medium: Medium;
  registers: readonly RegisterDef[];
  statusFields: readonly StatusFieldDef[];
  /** findings about `next` given the previous accepted reading (null for a meter's first) */
  validate(prev: MeterReading | null, next: MeterReading, options?: ValidateOptions<S>): ReadingIssue[];
  /** consumption between two readings of cumulative registers, across rollover and replacement */
  usage(prev: MeterReading, next: MeterReading, options?: UsageOptions<S>): Usage;
  /** protocols whose status word `decodeStatus` understands (codec names); the first is the default */
  statusProtocols: readonly string[];
  /** the fields of a status word as sent in `protocol`; no fields for a protocol it does not know */
  decodeStatus(bits: number, protocol?: string): StatusFlags;
  defaultAnomalyRules: readonly AnomalyRule[];
  displayUnits: readonly DisplayUnit[];
}

/** Identity helper: gives a meter-type definition its types. */
export function defineMeterType<C = unknown, S = unknown>(
  plugin: MeterTypePlugin<C, S>,
): MeterTypePlugin<C, S> {
  return plugin;
}

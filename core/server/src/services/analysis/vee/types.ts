import type { Medium, StatusFlags } from '@quadmeter/sdk';

/** Severity of a finding as the exception queue stores it. */
export type Severity = 'info' | 'warning' | 'critical';

/** One stored reading as the rules see it: main register, other registers, decoded status. */
export interface VeeReading {
  ts: Date;
  /** the main cumulative register (null when the reading carried none) */
  value: number | null;
  registers: Record<string, number | string>;
  status: StatusFlags;
}

/** What the rules know about a meter besides its readings. */
export interface MeterFacts {
  id: string;
  medium: Medium;
  areaId: string | null;
  /** the meter's account is occupied (a live account whose customer lives there) */
  occupied: boolean;
  concentratorId: string | null;
  /** the counter's wrap value, if any */
  rolloverMax?: number;
  /** times of recorded replacements (a drop of the counter there is expected) */
  replacedAt: Date[];
  /** the last valve/relay command that the device acknowledged */
  commanded: { state: 'open' | 'closed'; at: Date } | null;
  /** the meter feeds energy back by design (solar): reverse energy is expected */
  exports: boolean;
}

/** The input of every rule: one meter's facts and readings (ascending by ts) up to `now`. */
export interface MeterWindow {
  meter: MeterFacts;
  readings: VeeReading[];
  now: Date;
  /** usage of the meter's sub-meters per UTC day (only for a master meter) */
  subUsageByDay?: Map<string, number>;
}

/** What a rule answers when it fires: severity, a summary and the evidence (readings by time). */
export interface RuleHit {
  rule: string;
  severity: Severity;
  evidence: {
    summary: string;
    /** the timestamps (ISO) of the readings that triggered the rule */
    readings: string[];
    [k: string]: unknown;
  };
}

export type Params = Record<string, number | boolean | string | string[]>;

/** A built-in rule: a pure function of a window and its (tenant-tuned) parameters. */
export interface VeeRule<P extends Params = Params> {
  id: string;
  /** media it applies to (all when absent) */
  media?: readonly Medium[];
  severity: Severity;
  defaults: P;
  evaluate(window: MeterWindow, params: P): RuleHit | null;
}

/** A rule with its parameters erased, as the catalogue holds it. */
// biome-ignore lint/suspicious/noExplicitAny: the catalogue holds rules of different parameter types
export type AnyVeeRule = VeeRule<any>;

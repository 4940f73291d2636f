import type { ReadingIssue, RegisterDef } from '../kinds/meter-type.ts';
import type { MeterReading } from '../kinds/reading.ts';
import { counterStep } from './counter.ts';

export interface ReadingCheckOptions {
  /** per-register rollover overrides, e.g. from the tenant's meter-digit settings */
  rolloverMax?: Readonly<Record<string, number>>;
  /** per-register most plausible growth per day of a cumulative register */
  maxPerDay?: Readonly<Record<string, number>>;
}

const DAY_MS = 86_400_000;
/** Short intervals are judged as if an hour had passed, so two close readings do not look absurd. */
const MIN_INTERVAL_MS = 3_600_000;

function timeIssues(prev: MeterReading | null, next: MeterReading): ReadingIssue[] {
  const t = Date.parse(next.ts);
  if (Number.isNaN(t))
    return [{ code: 'TIMESTAMP_INVALID', severity: 'error', message: `'${next.ts}' is not a time` }];
  if (prev && t <= Date.parse(prev.ts)) {
    return [
      { code: 'TIMESTAMP_NOT_AFTER', severity: 'error', message: `${next.ts} is not after ${prev.ts}` },
    ];
  }
  return [];
}

function valueIssues(r: RegisterDef, v: number | string, rolloverMax: number | undefined): ReadingIssue[] {
  const issue = (code: string, severity: ReadingIssue['severity'], message: string): ReadingIssue[] => [
    { code, severity, register: r.key, message },
  ];
  if (r.kind === 'state') {
    if (typeof v !== 'string' || !r.states?.includes(v)) {
      return issue('REGISTER_TYPE', 'error', `${r.key} must be one of ${r.states?.join(', ')}`);
    }
    return [];
  }
  if (typeof v !== 'number' || !Number.isFinite(v))
    return issue('REGISTER_TYPE', 'error', `${r.key} must be a number`);
  if (r.decimals === 0 && !Number.isSafeInteger(v))
    return issue('REGISTER_TYPE', 'error', `${r.key} must be a whole number`);
  if (r.kind === 'cumulative') {
    if (v < 0) return issue('VALUE_OUT_OF_RANGE', 'error', `${r.key} ${v} is negative`);
    if (rolloverMax !== undefined && v > rolloverMax) {
      return issue('VALUE_OUT_OF_RANGE', 'error', `${r.key} ${v} exceeds the counter's ${rolloverMax}`);
    }
    return [];
  }
  if ((r.min !== undefined && v < r.min) || (r.max !== undefined && v > r.max)) {
    return issue('VALUE_OUT_OF_RANGE', 'warning', `${r.key} ${v} ${r.unit} is outside ${r.min} … ${r.max}`);
  }
  return [];
}

function stepIssues(
  r: RegisterDef,
  prev: MeterReading,
  next: MeterReading,
  o: ReadingCheckOptions,
): ReadingIssue[] {
  const a = prev.registers[r.key];
  const b = next.registers[r.key];
  if (typeof a !== 'number' || typeof b !== 'number') return [];
  const step = counterStep(a, b, {
    decimals: r.decimals,
    rolloverMax: o.rolloverMax?.[r.key] ?? r.rolloverMax,
  });
  if (step.kind === 'backwards') {
    return [
      {
        code: 'READING_BACKWARDS',
        severity: 'error',
        register: r.key,
        message: `${r.key} went back by ${step.by} ${r.unit}`,
      },
    ];
  }
  const out: ReadingIssue[] = [];
  if (step.kind === 'rollover') {
    out.push({
      code: 'ROLLOVER',
      severity: 'info',
      register: r.key,
      message: `${r.key} wrapped past its top value`,
    });
  }
  const perDay = o.maxPerDay?.[r.key];
  if (perDay !== undefined) {
    const elapsed = Math.max(Date.parse(next.ts) - Date.parse(prev.ts), MIN_INTERVAL_MS);
    const limit = (perDay * elapsed) / DAY_MS;
    if (step.delta > limit) {
      out.push({
        code: 'RATE_IMPLAUSIBLE',
        severity: 'warning',
        register: r.key,
        message: `${r.key} grew ${step.delta} ${r.unit}, more than ${perDay} ${r.unit}/day allows`,
      });
    }
  }
  return out;
}

/**
 * The checks every meter type shares: time order, register types and ranges, unknown keys,
 * counters going backwards, wrapping and growing faster than plausible.
 */
export function readingIssues(
  registers: readonly RegisterDef[],
  prev: MeterReading | null,
  next: MeterReading,
  options: ReadingCheckOptions = {},
): ReadingIssue[] {
  const issues = timeIssues(prev, next);
  const byKey = new Map(registers.map((r) => [r.key, r]));
  for (const [key, v] of Object.entries(next.registers)) {
    const r = byKey.get(key);
    if (!r) {
      issues.push({
        code: 'REGISTER_UNKNOWN',
        severity: 'warning',
        register: key,
        message: `no register '${key}'`,
      });
      continue;
    }
    issues.push(...valueIssues(r, v, options.rolloverMax?.[key] ?? r.rolloverMax));
  }
  if (prev && issues.every((i) => i.severity !== 'error')) {
    for (const r of registers)
      if (r.kind === 'cumulative') issues.push(...stepIssues(r, prev, next, options));
  }
  return issues;
}

/** True when none of the issues rejects the reading. */
export function isAcceptable(issues: readonly ReadingIssue[]): boolean {
  return issues.every((i) => i.severity !== 'error');
}

import {
  counterStep,
  type MeterReading,
  type ReadingIssue,
  readingIssues,
  type ValidateOptions,
} from '@quadmeter/sdk';
import { registers } from './registers.ts';
import { type GasSettings, rolloverFor, settingsOrDefault } from './settings.ts';

/** Below this much working volume the correction factor is not judged (counter resolution). */
const MIN_JUDGED_VOLUME = 0.1;

function growth(
  prev: MeterReading,
  next: MeterReading,
  key: string,
  rolloverMax: number,
): number | undefined {
  const a = prev.registers[key];
  const b = next.registers[key];
  if (typeof a !== 'number' || typeof b !== 'number') return undefined;
  const step = counterStep(a, b, { decimals: 3, rolloverMax });
  return step.kind === 'backwards' ? undefined : step.delta;
}

/** Standard volume = working volume × (p/p₀)·(T₀/T)/Z; its growth must stay in a sane ratio. */
function correctionIssues(
  prev: MeterReading,
  next: MeterReading,
  s: GasSettings,
  rollover: Record<string, number>,
): ReadingIssue[] {
  const std = growth(prev, next, 'standardVolume', rollover.standardVolume);
  const work = growth(prev, next, 'workingVolume', rollover.workingVolume);
  if (std === undefined || work === undefined || work < MIN_JUDGED_VOLUME) return [];
  const factor = std / work;
  if (factor >= s.correctionFactorMin && factor <= s.correctionFactorMax) return [];
  return [
    {
      code: 'CORRECTION_IMPLAUSIBLE',
      severity: 'warning',
      register: 'standardVolume',
      message: `standard/working volume ratio ${factor.toFixed(3)} is outside ${s.correctionFactorMin} … ${s.correctionFactorMax}`,
    },
  ];
}

function valveIssues(
  prev: MeterReading,
  next: MeterReading,
  rollover: Record<string, number>,
): ReadingIssue[] {
  if (prev.registers.valve !== 'closed' || next.registers.valve !== 'closed') return [];
  const used =
    growth(prev, next, 'workingVolume', rollover.workingVolume) ??
    growth(prev, next, 'standardVolume', rollover.standardVolume);
  if (used === undefined || used <= 0.01) return [];
  return [
    { code: 'USAGE_WITH_VALVE_CLOSED', severity: 'warning', message: `${used} m³ passed a closed valve` },
  ];
}

export function validate(
  prev: MeterReading | null,
  next: MeterReading,
  options?: ValidateOptions<GasSettings>,
): ReadingIssue[] {
  const s = settingsOrDefault(options?.settings);
  const rollover = rolloverFor(s);
  const issues = readingIssues(registers, prev, next, {
    rolloverMax: rollover,
    maxPerDay: { standardVolume: s.maxDailyUsage },
  });
  if (!prev || issues.some((i) => i.severity === 'error')) return issues;
  return [...issues, ...correctionIssues(prev, next, s, rollover), ...valveIssues(prev, next, rollover)];
}

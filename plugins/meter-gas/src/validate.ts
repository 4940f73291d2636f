import {
  closedValveUsageIssues,
  counterGrowth,
  isAcceptable,
  type MeterReading,
  type ReadingIssue,
  readingIssues,
  type ValidateOptions,
} from '@quadmeter/sdk';
import { registers } from './registers.ts';
import { type GasSettings, rolloverFor, settingsOrDefault } from './settings.ts';

/** Below this much working volume the correction factor is not judged (counter resolution). */
const MIN_JUDGED_VOLUME = 0.1;

function growth(prev: MeterReading, next: MeterReading, key: string, rolloverMax: number) {
  return counterGrowth(prev, next, key, { decimals: 3, rolloverMax });
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
  if (!prev || !isAcceptable(issues)) return issues;
  const used =
    growth(prev, next, 'workingVolume', rollover.workingVolume) ??
    growth(prev, next, 'standardVolume', rollover.standardVolume);
  return [
    ...issues,
    ...correctionIssues(prev, next, s, rollover),
    ...closedValveUsageIssues(prev, next, { used, message: (m3) => `${m3} m³ passed a closed valve` }),
  ];
}

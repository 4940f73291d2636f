import {
  counterStep,
  type MeterReading,
  type ReadingIssue,
  readingIssues,
  type ValidateOptions,
} from '@quadmeter/sdk';
import { registers } from './registers.ts';
import { rolloverFor, settingsOrDefault, type WaterSettings } from './settings.ts';

/** Usage under this while the valve reads closed is meter noise, not water. */
const CLOSED_VALVE_TOLERANCE = 0.01;

function growth(prev: MeterReading, next: MeterReading, key: string, rollover: number): number {
  const a = prev.registers[key];
  const b = next.registers[key];
  if (typeof a !== 'number' || typeof b !== 'number') return 0;
  const step = counterStep(a, b, { decimals: 3, rolloverMax: rollover });
  return step.kind === 'backwards' ? 0 : step.delta;
}

export function validate(
  prev: MeterReading | null,
  next: MeterReading,
  options?: ValidateOptions<WaterSettings>,
): ReadingIssue[] {
  const s = settingsOrDefault(options?.settings);
  const rolloverMax = rolloverFor(s);
  const issues = readingIssues(registers, prev, next, {
    rolloverMax,
    maxPerDay: { totalVolume: s.maxDailyUsage },
  });
  if (!prev || issues.some((i) => i.severity === 'error')) return issues;
  const reverse = growth(prev, next, 'reverseVolume', rolloverMax.reverseVolume);
  if (reverse > 0) {
    issues.push({
      code: 'REVERSE_FLOW',
      severity: 'warning',
      register: 'reverseVolume',
      message: `${reverse} m³ flowed backwards`,
    });
  }
  const used = growth(prev, next, 'totalVolume', rolloverMax.totalVolume);
  if (
    prev.registers.valve === 'closed' &&
    next.registers.valve === 'closed' &&
    used > CLOSED_VALVE_TOLERANCE
  ) {
    issues.push({
      code: 'USAGE_WITH_VALVE_CLOSED',
      severity: 'warning',
      register: 'totalVolume',
      message: `${used} m³ used while the valve was closed`,
    });
  }
  return issues;
}

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
import { rolloverFor, settingsOrDefault, type WaterSettings } from './settings.ts';

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
  if (!prev || !isAcceptable(issues)) return issues;
  const grew = (key: string) =>
    counterGrowth(prev, next, key, { decimals: 3, rolloverMax: rolloverMax[key] });
  const reverse = grew('reverseVolume') ?? 0;
  if (reverse > 0) {
    issues.push({
      code: 'REVERSE_FLOW',
      severity: 'warning',
      register: 'reverseVolume',
      message: `${reverse} m³ flowed backwards`,
    });
  }
  return [
    ...issues,
    ...closedValveUsageIssues(prev, next, {
      used: grew('totalVolume'),
      register: 'totalVolume',
      message: (used) => `${used} m³ used while the valve was closed`,
    }),
  ];
}

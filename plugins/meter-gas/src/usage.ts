import { cumulativeUsage, type MeterReading, type Usage, type UsageOptions } from '@quadmeter/sdk';
import { registers } from './registers.ts';
import { type GasSettings, rolloverFor, settingsOrDefault } from './settings.ts';

export function usage(prev: MeterReading, next: MeterReading, options?: UsageOptions<GasSettings>): Usage {
  const rolloverMax = rolloverFor(settingsOrDefault(options?.settings));
  return cumulativeUsage(registers, prev, next, { replacement: options?.replacement, rolloverMax });
}

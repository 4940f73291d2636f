import {
  fromUnits,
  isAcceptable,
  type MeterReading,
  type ReadingIssue,
  readingIssues,
  toUnits,
  type ValidateOptions,
} from '@quadmeter/sdk';
import { registers, TARIFFS } from './registers.ts';
import { type PowerSettings, rolloverFor, settingsOrDefault } from './settings.ts';

/** The tariff registers of a direction should add up to its total (each rounded on its own). */
function tariffIssues(next: MeterReading, base: string, tolerance: number): ReadingIssue[] {
  const total = next.registers[`${base}Total`];
  const parts = TARIFFS.map((t) => next.registers[`${base}${t}`]);
  if (typeof total !== 'number' || !parts.every((p) => typeof p === 'number')) return [];
  const sum = fromUnits(
    (parts as number[]).reduce((a, p) => a + toUnits(p, 2), 0),
    2,
  );
  if (Math.abs(sum - total) <= tolerance) return [];
  return [
    {
      code: 'TARIFF_SUM_MISMATCH',
      severity: 'warning',
      register: `${base}Total`,
      message: `tariffs add up to ${sum} kWh but the total is ${total} kWh`,
    },
  ];
}

function relayIssues(prev: MeterReading | null, next: MeterReading): ReadingIssue[] {
  if (prev?.registers.relay !== 'open' || next.registers.relay !== 'open') return [];
  const a = prev.registers.activeImportTotal;
  const b = next.registers.activeImportTotal;
  if (typeof a !== 'number' || typeof b !== 'number' || b - a < 0.02) return [];
  return [
    {
      code: 'USAGE_WITH_RELAY_OPEN',
      severity: 'warning',
      register: 'activeImportTotal',
      message: `${fromUnits(toUnits(b - a, 2), 2)} kWh imported while the relay was open`,
    },
  ];
}

export function validate(
  prev: MeterReading | null,
  next: MeterReading,
  options?: ValidateOptions<PowerSettings>,
): ReadingIssue[] {
  const s = settingsOrDefault(options?.settings);
  const issues = readingIssues(registers, prev, next, {
    rolloverMax: rolloverFor(s),
    maxPerDay: { activeImportTotal: s.maxDailyEnergy },
  });
  if (!isAcceptable(issues)) return issues;
  return [
    ...issues,
    ...tariffIssues(next, 'activeImport', s.tariffSumTolerance),
    ...tariffIssues(next, 'activeExport', s.tariffSumTolerance),
    ...relayIssues(prev, next),
  ];
}

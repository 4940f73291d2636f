import {
  counterGrowth,
  isAcceptable,
  type MeterReading,
  type ReadingIssue,
  readingIssues,
  type ValidateOptions,
} from '@quadmeter/sdk';
import { HOURS_ROLLOVER, registers } from './registers.ts';
import { type HeatSettings, rolloverFor, settingsOrDefault } from './settings.ts';

/**
 * Heat carried by water: P [kW] ≈ q [m³/h] × ΔT [K] × 1.163 (c ≈ 4.187 kJ/(kg·K), ρ ≈ 1000 kg/m³,
 * ÷ 3600 s/h). Real meters correct ρ and c for temperature, hence a tolerance.
 */
export const KW_PER_M3H_K = 1.163;
/** Power below this is not judged: at low flow the meter's own resolution dominates. */
const MIN_JUDGED_POWER = 1;

function num(reading: MeterReading, key: string): number | undefined {
  const v = reading.registers[key];
  return typeof v === 'number' ? v : undefined;
}

function instantIssues(next: MeterReading, s: HeatSettings): ReadingIssue[] {
  const out: ReadingIssue[] = [];
  const sup = num(next, 'supplyTemperature');
  const ret = num(next, 'returnTemperature');
  const dt = num(next, 'temperatureDifference');
  if (
    sup !== undefined &&
    ret !== undefined &&
    dt !== undefined &&
    Math.abs(sup - ret - dt) > s.temperatureTolerance
  ) {
    out.push({
      code: 'TEMPERATURE_DIFF_MISMATCH',
      severity: 'warning',
      register: 'temperatureDifference',
      message: `difference ${dt} K does not match ${sup} − ${ret} °C`,
    });
  }
  const q = num(next, 'flowRate');
  const p = num(next, 'power');
  const delta = dt ?? (sup !== undefined && ret !== undefined ? sup - ret : undefined);
  if (q !== undefined && p !== undefined && delta !== undefined) {
    const expected = q * delta * KW_PER_M3H_K;
    if (
      Math.max(p, expected) >= MIN_JUDGED_POWER &&
      Math.abs(p - expected) > s.powerTolerance * Math.max(p, expected)
    ) {
      out.push({
        code: 'POWER_MISMATCH',
        severity: 'warning',
        register: 'power',
        message: `power ${p} kW, but flow × ΔT gives ${expected.toFixed(2)} kW`,
      });
    }
  }
  return out;
}

function stepIssues(
  prev: MeterReading,
  next: MeterReading,
  rollover: Record<string, number>,
): ReadingIssue[] {
  const out: ReadingIssue[] = [];
  const grew = (key: string, decimals: number, rolloverMax: number) =>
    counterGrowth(prev, next, key, { decimals, rolloverMax });
  const heat = grew('heatEnergy', 2, rollover.heatEnergy);
  const water = grew('volume', 2, rollover.volume);
  if (heat !== undefined && water !== undefined && heat > 0 && water === 0) {
    out.push({
      code: 'ENERGY_WITHOUT_FLOW',
      severity: 'warning',
      register: 'heatEnergy',
      message: `${heat} kWh counted without any flow`,
    });
  }
  const hours = grew('operatingHours', 0, HOURS_ROLLOVER);
  const elapsed = (Date.parse(next.ts) - Date.parse(prev.ts)) / 3_600_000;
  if (hours !== undefined && hours > Math.ceil(elapsed) + 1) {
    out.push({
      code: 'OPERATING_HOURS_IMPLAUSIBLE',
      severity: 'warning',
      register: 'operatingHours',
      message: `${hours} h of operation in ${elapsed.toFixed(1)} h`,
    });
  }
  return out;
}

export function validate(
  prev: MeterReading | null,
  next: MeterReading,
  options?: ValidateOptions<HeatSettings>,
): ReadingIssue[] {
  const s = settingsOrDefault(options?.settings);
  const rollover = rolloverFor(s);
  const issues = readingIssues(registers, prev, next, {
    rolloverMax: rollover,
    maxPerDay: { heatEnergy: s.maxDailyEnergy },
  });
  if (!isAcceptable(issues)) return issues;
  return [...issues, ...instantIssues(next, s), ...(prev ? stepIssues(prev, next, rollover) : [])];
}

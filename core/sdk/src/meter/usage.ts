import { AppError, type FieldIssue } from '../errors.ts';
import type { RegisterDef, Usage, UsageOptions } from '../kinds/meter-type.ts';
import type { MeterReading } from '../kinds/reading.ts';
import { type CounterSpec, counterStep, fromUnits, toUnits } from './counter.ts';

export interface CumulativeUsageOptions extends UsageOptions<never> {
  /** per-register rollover overrides, e.g. from the tenant's meter-digit settings */
  rolloverMax?: Readonly<Record<string, number>>;
}

function num(reading: MeterReading, key: string): number | undefined {
  const v = reading.registers[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Consumption of every cumulative register present in both readings. With a replacement, the
 * old meter's run (prev → oldFinal) and the new meter's run (newInitial → next) are added.
 * A counter that went backwards (and did not plausibly wrap) is an error, never negative usage.
 */
export function cumulativeUsage(
  registers: readonly RegisterDef[],
  prev: MeterReading,
  next: MeterReading,
  options: CumulativeUsageOptions = {},
): Usage {
  const out: Usage = { registers: {}, rolledOver: [] };
  const issues: FieldIssue[] = [];
  const rep = options.replacement;
  for (const r of registers) {
    if (r.kind !== 'cumulative') continue;
    const spec: CounterSpec = {
      decimals: r.decimals,
      rolloverMax: options.rolloverMax?.[r.key] ?? r.rolloverMax,
    };
    const legs: [MeterReading, MeterReading][] = rep
      ? [
          [prev, rep.oldFinal],
          [rep.newInitial, next],
        ]
      : [[prev, next]];
    let units = 0;
    let rolled = false;
    let complete = true;
    for (const [from, to] of legs) {
      const a = num(from, r.key);
      const b = num(to, r.key);
      if (a === undefined || b === undefined) {
        complete = false;
        break;
      }
      const step = counterStep(a, b, spec);
      if (step.kind === 'backwards') {
        issues.push({
          path: `registers.${r.key}`,
          message: `went backwards by ${step.by} ${r.unit} (${a} → ${b})`,
        });
        complete = false;
        break;
      }
      units += toUnits(step.delta, r.decimals);
      rolled ||= step.kind === 'rollover';
    }
    if (!complete) continue;
    out.registers[r.key] = fromUnits(units, r.decimals);
    if (rolled) out.rolledOver.push(r.key);
  }
  if (issues.length > 0) throw new AppError('READING_BACKWARDS', undefined, issues);
  return out;
}

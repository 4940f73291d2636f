import type { MeterReading } from '../kinds/reading.ts';
import { type CounterSpec, counterStep } from './counter.ts';

/**
 * How much the cumulative register `key` grew from `prev` to `next`, across a plausible wrap.
 * Undefined when either reading lacks a number there or the counter went backwards.
 */
export function counterGrowth(
  prev: MeterReading,
  next: MeterReading,
  key: string,
  spec: CounterSpec,
): number | undefined {
  const a = prev.registers[key];
  const b = next.registers[key];
  if (typeof a !== 'number' || typeof b !== 'number') return undefined;
  const step = counterStep(a, b, spec);
  return step.kind === 'backwards' ? undefined : step.delta;
}

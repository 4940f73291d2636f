import { type Outcome, SUCCESS } from '../services/reading-tasks/kinds.ts';
import { readSuccessRatio, reads } from './registry.ts';

const seen = new Map<string, { all: number; good: number }>();

/** Counts recorded read outcomes and keeps the per-transport success ratio current. */
export function countReads(list: readonly { outcome: Outcome; transport?: string | null }[]): void {
  for (const o of list) {
    const transport = o.transport ?? 'none';
    reads.inc({ transport, outcome: o.outcome });
    const s = seen.get(transport) ?? { all: 0, good: 0 };
    s.all += 1;
    if (SUCCESS.has(o.outcome)) s.good += 1;
    seen.set(transport, s);
    readSuccessRatio.set({ transport }, s.good / s.all);
  }
}
